import { decodeBase64Strict } from './base64-strict.js';
import { EnvelopeError } from './envelope-error.js';
import { requireLength } from './internal/bytes.js';
import { GCM_IV_BYTES, GCM_TAG_BYTES, gcmOpenBlob, gcmSeal } from './internal/gcm-core.js';

const HEADER_BYTES = 16; // server time (8) + echoed nonce (8)
const NONCE_BYTES = 8;

/** Inputs of {@link sealResponseEnvelope}. */
export interface SealResponseEnvelopeInput {
  /** The client secret, 32 raw bytes. */
  readonly secret: Uint8Array;
  /** Server time, epoch milliseconds. */
  readonly nowMs: number;
  /** The 8 nonce bytes of the request, copied verbatim. */
  readonly nonce: Uint8Array;
  /** The full response object `{"status":…}` as JSON text or its UTF-8 bytes. */
  readonly json: string | Uint8Array;
  /** 12 random bytes. */
  readonly iv: Uint8Array;
}

/**
 * Encrypts a 200 response: `GCM(secret, now_ms int64 BE ‖ request nonce ‖ UTF-8 JSON)`, with no
 * version byte (spec/api.md §3.2). Base64 the result for `text/plain`, or send it raw for
 * `application/octet-stream` requests.
 *
 * @returns IV ‖ ciphertext ‖ tag (44 + JSON bytes)
 * @throws TypeError on a wrong secret, nonce or IV length, or a non-integer `nowMs`
 */
export function sealResponseEnvelope(input: SealResponseEnvelopeInput): Buffer {
  requireLength(input.nonce, NONCE_BYTES, 'response nonce');
  if (!Number.isSafeInteger(input.nowMs)) throw new TypeError('nowMs must be an integer');
  const { json } = input;
  const jsonLength = typeof json === 'string' ? Buffer.byteLength(json, 'utf8') : json.length;
  const plaintext = Buffer.allocUnsafe(HEADER_BYTES + jsonLength);
  plaintext.writeBigInt64BE(BigInt(input.nowMs), 0);
  plaintext.set(input.nonce, 8);
  if (typeof json === 'string') plaintext.write(json, HEADER_BYTES, 'utf8');
  else plaintext.set(json, HEADER_BYTES);
  const out = Buffer.allocUnsafe(GCM_IV_BYTES + plaintext.length + GCM_TAG_BYTES);
  gcmSeal(input.secret, plaintext, input.iv, out, 0);
  return out;
}

/** Inputs of {@link openResponseEnvelope}. */
export interface OpenResponseEnvelopeInput {
  /** The client secret, 32 raw bytes. */
  readonly secret: Uint8Array;
  /** The response body: base64 text (`text/plain`) or raw bytes (`application/octet-stream`). */
  readonly envelope: string | Uint8Array;
  /** The nonce sent in the request; when given, a different echoed nonce is rejected. */
  readonly expectedNonce?: Uint8Array;
}

/** A decrypted response envelope. */
export interface OpenedResponseEnvelope {
  /** Server time written into the response, epoch milliseconds. */
  readonly timestampMs: number;
  /** The echoed nonce. */
  readonly nonce: Buffer;
  /** UTF-8 bytes of the response JSON (`{"status":…}`). */
  readonly json: Buffer;
}

/**
 * Opens a response envelope on the client side (spec/api.md §3.2), the way the SDKs do.
 *
 * @throws EnvelopeError `ERR_ENVELOPE_NOT_BASE64` (text that is not strict base64),
 *   `ERR_ENVELOPE_TOO_SHORT` (< 44 bytes), `ERR_ENVELOPE_DECRYPT` (wrong secret or tampered),
 *   `ERR_ENVELOPE_NONCE_MISMATCH` (echoed nonce differs from `expectedNonce`)
 */
export function openResponseEnvelope(input: OpenResponseEnvelopeInput): OpenedResponseEnvelope {
  const bytes = typeof input.envelope === 'string' ? decodeBase64Strict(input.envelope) : input.envelope;
  if (bytes === null) throw new EnvelopeError('ERR_ENVELOPE_NOT_BASE64');
  if (bytes.length < GCM_IV_BYTES + HEADER_BYTES + GCM_TAG_BYTES)
    throw new EnvelopeError('ERR_ENVELOPE_TOO_SHORT');
  const plaintext = gcmOpenBlob(input.secret, bytes);
  if (plaintext === null) throw new EnvelopeError('ERR_ENVELOPE_DECRYPT');
  const nonce = plaintext.subarray(8, HEADER_BYTES);
  if (input.expectedNonce !== undefined && !nonce.equals(input.expectedNonce)) {
    throw new EnvelopeError('ERR_ENVELOPE_NONCE_MISMATCH');
  }
  return {
    timestampMs: Number(plaintext.readBigInt64BE(0)),
    nonce,
    json: plaintext.subarray(HEADER_BYTES),
  };
}
