import { decodeBase64Strict } from './base64-strict.js';
import { EnvelopeError } from './envelope-error.js';
import { gcmDecrypt, gcmEncrypt } from './gcm.js';
import { utf8Bytes } from './internal/bytes.js';

/**
 * Encrypts a `/v2/token/refresh` 200 response with the `refresh_response_key` that came with the
 * presented refresh token: `GCM(key, UTF-8 JSON)`, no timestamp and no nonce (spec/api.md §3.3).
 * The CSTG response has the same shape (see `sealCstgResponse`).
 *
 * @param key the 32-byte refresh response key (raw bytes)
 * @param json the full response object `{"status":…}` as text or UTF-8 bytes
 * @param iv 12 random bytes
 * @returns IV ‖ ciphertext ‖ tag
 * @throws TypeError on a wrong key or IV length
 */
export function sealRefreshResponse(key: Uint8Array, json: string | Uint8Array, iv: Uint8Array): Buffer {
  return gcmEncrypt(key, utf8Bytes(json), iv);
}

/**
 * Decrypts a `/v2/token/refresh` response on the client side (spec/api.md §3.3).
 *
 * @param blob the response: base64 text or raw bytes
 * @returns UTF-8 bytes of the response JSON
 * @throws EnvelopeError `ERR_ENVELOPE_NOT_BASE64` or `ERR_ENVELOPE_DECRYPT`
 */
export function openRefreshResponse(key: Uint8Array, blob: string | Uint8Array): Buffer {
  const bytes = typeof blob === 'string' ? decodeBase64Strict(blob) : blob;
  if (bytes === null) throw new EnvelopeError('ERR_ENVELOPE_NOT_BASE64');
  return gcmDecrypt(key, bytes);
}
