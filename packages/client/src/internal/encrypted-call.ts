import {
  EnvelopeError,
  type JsonObject,
  openResponseEnvelope,
  sealRequestEnvelope,
} from '@uid2-operator/crypto-envelope';
import { Uid2ClientError } from '../uid2-client-error.js';
import type { HttpTransport } from './http-transport.js';
import { type WireObject, parseObject } from './wire.js';

const NONCE_BYTES = 8;
const IV_BYTES = 12;

/** What every encrypted call needs: transport, credentials, clock and randomness. */
export interface EncryptedCallContext {
  readonly transport: HttpTransport;
  readonly apiKey: string;
  /** Client secret, 32 raw bytes. */
  readonly secret: Buffer;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly random: (size: number) => Uint8Array;
}

/** One encrypted POST (spec/api.md §3.1, §3.2). */
export interface EncryptedCall {
  readonly path: string;
  /** Request JSON: an object, pre-serialized JSON text, or `undefined` (key endpoints). */
  readonly payload?: JsonObject | string | undefined;
  /** Send raw envelope bytes as `application/octet-stream` instead of base64 text. */
  readonly binary?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Seals the request (fresh timestamp, nonce and IV per attempt), POSTs it with retries, then
 * opens the 200 response with the client secret and checks that it echoes the nonce.
 *
 * @returns the decrypted response object (`{"status":…, "body":…}`)
 * @throws Uid2ClientError `ERR_RESPONSE_DECRYPT`, `ERR_NONCE_MISMATCH`, `ERR_RESPONSE_FORMAT`, or
 *   any transport error
 */
export async function encryptedCall(context: EncryptedCallContext, call: EncryptedCall): Promise<WireObject> {
  let nonce: Uint8Array = Buffer.alloc(NONCE_BYTES);
  const binary = call.binary === true;
  const response = await context.transport.post({
    path: call.path,
    signal: call.signal,
    headers: {
      authorization: `Bearer ${context.apiKey}`,
      'content-type': binary ? 'application/octet-stream' : 'text/plain',
    },
    body: () => {
      nonce = context.random(NONCE_BYTES);
      const envelope = sealRequestEnvelope({
        secret: context.secret,
        timestampMs: Math.trunc(context.now()),
        nonce,
        payload: call.payload,
        iv: context.random(IV_BYTES),
      });
      return binary ? envelope : envelope.toString('base64');
    },
  });
  const rawBody = response.contentType.toLowerCase().startsWith('application/octet-stream');
  let json: Buffer;
  try {
    json = openResponseEnvelope({
      secret: context.secret,
      envelope: rawBody ? response.body : response.body.toString('latin1'),
      expectedNonce: nonce,
    }).json;
  } catch (cause) {
    throw envelopeFailure(cause, response.attempts);
  }
  return parseObject(json);
}

/** Maps a response-side crypto failure to the client error codes. */
export function envelopeFailure(cause: unknown, attempts?: number): Uid2ClientError {
  if (cause instanceof EnvelopeError && cause.code === 'ERR_ENVELOPE_NONCE_MISMATCH') {
    return new Uid2ClientError('ERR_NONCE_MISMATCH', { httpStatus: 200, attempts, cause });
  }
  if (cause instanceof EnvelopeError) {
    return new Uid2ClientError('ERR_RESPONSE_DECRYPT', { httpStatus: 200, attempts, cause });
  }
  throw cause;
}
