import { EnvelopeError, decodeBase64Strict } from '@uid2-operator/crypto-envelope';
import { envelopeFailure } from './encrypted-call.js';
import type { HttpResponse } from './http-transport.js';

/** Decodes a 32-byte AES key given as base64 text or raw bytes. @throws TypeError otherwise */
export function decodeKey(value: string | Uint8Array, name: string): Buffer {
  const bytes = typeof value === 'string' ? decodeBase64Strict(value) : Buffer.from(value);
  if (bytes?.length !== 32) throw new TypeError(`${name} must be base64 of 32 bytes`);
  return bytes;
}

/** Whether the operator answered with unencrypted JSON (the legacy refresh path). */
export function isJson(response: HttpResponse): boolean {
  return response.contentType.toLowerCase().startsWith('application/json');
}

/**
 * Decrypts a refresh or client-generate answer (base64 text, or raw bytes when the operator answered
 * `application/octet-stream`).
 * @throws Uid2ClientError `ERR_RESPONSE_DECRYPT`
 */
export function openPlain(response: HttpResponse, open: (blob: string | Uint8Array) => Buffer): Buffer {
  const raw = response.contentType.toLowerCase().startsWith('application/octet-stream');
  try {
    return open(raw ? response.body : response.body.toString('latin1'));
  } catch (cause) {
    if (cause instanceof EnvelopeError) throw envelopeFailure(cause, response.attempts);
    throw cause;
  }
}
