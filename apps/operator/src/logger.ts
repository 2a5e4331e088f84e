import pino, { type Logger } from 'pino';

/**
 * Paths pino removes from every log object. The operator never logs request bodies; these guard
 * against headers and error objects that could carry an API key, token or DII.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'request.headers.authorization',
  'headers.authorization',
  'req.body',
  'body',
  'payload',
  'secret',
  'key',
  'token',
  'email',
  'phone',
  '*.secret',
  '*.key',
  '*.token',
  '*.email',
  '*.phone',
];

/** The operator's JSON logger (pino) with redaction of {@link REDACT_PATHS}. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } },
    destination,
  );
}
