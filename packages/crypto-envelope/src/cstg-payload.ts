import { decodeBase64Strict } from './base64-strict.js';
import { cstgAad } from './cstg-aad.js';
import { type CstgServerKey, cstgSharedSecret } from './cstg-key-agreement.js';
import { EnvelopeError } from './envelope-error.js';
import { gcmDecrypt, gcmEncrypt } from './gcm.js';
import { utf8Bytes } from './internal/bytes.js';
import { GCM_IV_BYTES, gcmOpen } from './internal/gcm-core.js';
import { type JsonObject, parseJsonObject } from './internal/json-object.js';

/** Inputs of {@link openCstgPayload}. */
export interface OpenCstgPayloadInput {
  /** The 32-byte ECDH shared secret ({@link cstgSharedSecret}). */
  readonly sharedSecret: Uint8Array;
  /** The request IV: 12 bytes. */
  readonly iv: Uint8Array;
  /** The decoded `payload` field: ciphertext ‖ tag (no IV). */
  readonly payload: Uint8Array;
  /** The additional authenticated data ({@link cstgAad}). */
  readonly aad: Uint8Array;
}

/**
 * Decrypts the CSTG request payload and parses it (spec/api.md §3.4, §6.4 steps 8–10).
 *
 * @returns the inner JSON object (e.g. `{"email_hash": …}`); identity rules are the caller's job
 * @throws EnvelopeError `ERR_CSTG_BAD_IV` (not 12 bytes), `ERR_CSTG_DECRYPT` (wrong key, AAD or
 *   tag), `ERR_CSTG_PAYLOAD_NOT_JSON` (plaintext is not a JSON object)
 */
export function openCstgPayload(input: OpenCstgPayloadInput): JsonObject {
  if (input.iv.length !== GCM_IV_BYTES) throw new EnvelopeError('ERR_CSTG_BAD_IV');
  const plaintext = gcmOpen(input.sharedSecret, input.iv, input.payload, input.aad);
  if (plaintext === null) throw new EnvelopeError('ERR_CSTG_DECRYPT');
  const parsed = parseJsonObject(plaintext);
  if (parsed === undefined) throw new EnvelopeError('ERR_CSTG_PAYLOAD_NOT_JSON');
  return parsed;
}

/** The crypto fields of a `/v2/token/client-generate` body, as sent (spec/api.md §6.4). */
export interface CstgRequestFields {
  /** `public_key`: base64 SubjectPublicKeyInfo of the client's ephemeral P-256 key. */
  readonly publicKey: string;
  /** `iv`: base64 of 12 bytes. */
  readonly iv: string;
  /** `payload`: base64 of ciphertext ‖ tag. */
  readonly payload: string;
  /** `timestamp` in epoch ms; 0 when the field is absent (it only binds the AAD). */
  readonly timestamp: number;
  /** `app_name`, when present. */
  readonly appName?: string | null | undefined;
}

/** The result of {@link openCstgRequest}. */
export interface OpenedCstgRequest {
  /** The decrypted inner JSON object. */
  readonly payload: JsonObject;
  /** The 32-byte shared secret: the key for {@link sealCstgResponse}. */
  readonly sharedSecret: Buffer;
}

/**
 * Server side of the CSTG crypto, steps 7–10 of spec/api.md §6.4 in the reference order: public
 * key (and key agreement), then IV, then decryption, then JSON. Base64 fields use the strict Java
 * decoder. The checks before (subscription, origin, field presence) and after (identity rules)
 * belong to the caller.
 *
 * @throws EnvelopeError `ERR_CSTG_BAD_PUBLIC_KEY` (detail `'encoding'` or `'agreement'`),
 *   `ERR_CSTG_BAD_IV`, `ERR_CSTG_DECRYPT` (also for a payload that is not base64),
 *   `ERR_CSTG_PAYLOAD_NOT_JSON`
 * @throws TypeError when `timestamp` is not an integer
 */
export function openCstgRequest(serverKey: CstgServerKey, fields: CstgRequestFields): OpenedCstgRequest {
  const publicKey = decodeBase64Strict(fields.publicKey);
  if (publicKey === null) throw new EnvelopeError('ERR_CSTG_BAD_PUBLIC_KEY', 'encoding');
  const sharedSecret = cstgSharedSecret(serverKey, publicKey);
  const iv = decodeBase64Strict(fields.iv);
  if (iv === null || iv.length !== GCM_IV_BYTES) throw new EnvelopeError('ERR_CSTG_BAD_IV');
  const aad = cstgAad(fields.timestamp, fields.appName);
  const payload = decodeBase64Strict(fields.payload);
  if (payload === null) throw new EnvelopeError('ERR_CSTG_DECRYPT');
  return { payload: openCstgPayload({ sharedSecret, iv, payload, aad }), sharedSecret };
}

/**
 * Encrypts a CSTG 200 response: `GCM(sharedSecret, UTF-8 JSON)`, no AAD, no timestamp or nonce
 * (spec/api.md §3.4). Send it base64-encoded.
 *
 * @returns IV ‖ ciphertext ‖ tag
 * @throws TypeError on a wrong key or IV length
 */
export function sealCstgResponse(
  sharedSecret: Uint8Array,
  json: string | Uint8Array,
  iv: Uint8Array,
): Buffer {
  return gcmEncrypt(sharedSecret, utf8Bytes(json), iv);
}

/**
 * Decrypts a CSTG response on the client side.
 *
 * @param blob the response body: base64 text or raw bytes
 * @returns UTF-8 bytes of the response JSON
 * @throws EnvelopeError `ERR_ENVELOPE_NOT_BASE64` or `ERR_ENVELOPE_DECRYPT`
 */
export function openCstgResponse(sharedSecret: Uint8Array, blob: string | Uint8Array): Buffer {
  const bytes = typeof blob === 'string' ? decodeBase64Strict(blob) : blob;
  if (bytes === null) throw new EnvelopeError('ERR_ENVELOPE_NOT_BASE64');
  return gcmDecrypt(sharedSecret, bytes);
}
