import { EnvelopeError } from './envelope-error.js';
import { GCM_IV_BYTES, GCM_TAG_BYTES, gcmOpenBlob, gcmSeal } from './internal/gcm-core.js';

/** Bytes AES-GCM adds to a plaintext in the IV ‖ ciphertext ‖ tag layout: 12 + 16. */
export const GCM_OVERHEAD_BYTES = GCM_IV_BYTES + GCM_TAG_BYTES;

/**
 * AES-256-GCM encryption in the UID2 layout IV(12) ‖ ciphertext ‖ tag(16) (spec/api.md §3,
 * spec/internals.md §0).
 *
 * @param key 32-byte AES key (raw bytes, not base64)
 * @param plaintext bytes to encrypt
 * @param iv 12 random bytes supplied by the caller (this package never draws randomness)
 * @param aad optional additional authenticated data (only CSTG uses it)
 * @returns a new buffer of `plaintext.length + 28` bytes
 * @throws TypeError when the key is not 32 bytes or the IV not 12 bytes
 */
export function gcmEncrypt(key: Uint8Array, plaintext: Uint8Array, iv: Uint8Array, aad?: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(plaintext.length + GCM_OVERHEAD_BYTES);
  gcmSeal(key, plaintext, iv, out, 0, aad);
  return out;
}

/**
 * Like {@link gcmEncrypt} but writes IV ‖ ciphertext ‖ tag into `target` at `offset`, so nested
 * token layers need one buffer each.
 *
 * @returns the number of bytes written (`plaintext.length + 28`)
 * @throws TypeError on a wrong key or IV length, RangeError when `target` is too small
 */
export function gcmEncryptInto(
  key: Uint8Array,
  plaintext: Uint8Array,
  iv: Uint8Array,
  target: Uint8Array,
  offset: number,
  aad?: Uint8Array,
): number {
  if (offset + plaintext.length + GCM_OVERHEAD_BYTES > target.length) {
    throw new RangeError('target buffer too small for the GCM output');
  }
  return gcmSeal(key, plaintext, iv, target, offset, aad);
}

/**
 * Decrypts and authenticates an IV(12) ‖ ciphertext ‖ tag(16) blob.
 *
 * @param key 32-byte AES key
 * @returns the plaintext bytes
 * @throws EnvelopeError `ERR_ENVELOPE_DECRYPT` when the blob is shorter than 28 bytes or the tag
 *   does not verify (wrong key, tampered data, wrong AAD)
 * @throws TypeError when the key is not 32 bytes
 */
export function gcmDecrypt(key: Uint8Array, blob: Uint8Array, aad?: Uint8Array): Buffer {
  const plaintext = gcmOpenBlob(key, blob, aad);
  if (plaintext === null) throw new EnvelopeError('ERR_ENVELOPE_DECRYPT');
  return plaintext;
}
