import { createCipheriv, createDecipheriv } from 'node:crypto';
import { requireLength } from './bytes.js';

export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;
export const AES_256_KEY_BYTES = 32;

/**
 * Encrypts `plaintext` into `target` at `offset` as IV ‖ ciphertext ‖ tag and returns the number
 * of bytes written (`plaintext.length + 28`).
 */
export function gcmSeal(
  key: Uint8Array,
  plaintext: Uint8Array,
  iv: Uint8Array,
  target: Uint8Array,
  offset: number,
  aad?: Uint8Array,
): number {
  requireLength(key, AES_256_KEY_BYTES, 'AES-256-GCM key');
  requireLength(iv, GCM_IV_BYTES, 'AES-GCM IV');
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
  if (aad !== undefined) cipher.setAAD(aad);
  target.set(iv, offset);
  const ciphertext = cipher.update(plaintext);
  target.set(ciphertext, offset + GCM_IV_BYTES);
  cipher.final();
  target.set(cipher.getAuthTag(), offset + GCM_IV_BYTES + ciphertext.length);
  return plaintext.length + GCM_IV_BYTES + GCM_TAG_BYTES;
}

/**
 * Decrypts and authenticates; `null` when the tag does not verify. The IV and tag are passed
 * separately because the CSTG request sends its IV outside the ciphertext.
 */
export function gcmOpen(
  key: Uint8Array,
  iv: Uint8Array,
  ciphertextAndTag: Uint8Array,
  aad?: Uint8Array,
): Buffer | null {
  requireLength(key, AES_256_KEY_BYTES, 'AES-256-GCM key');
  if (iv.length !== GCM_IV_BYTES || ciphertextAndTag.length < GCM_TAG_BYTES) return null;
  const tagStart = ciphertextAndTag.length - GCM_TAG_BYTES;
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
  decipher.setAuthTag(ciphertextAndTag.subarray(tagStart));
  if (aad !== undefined) decipher.setAAD(aad);
  const plaintext = decipher.update(ciphertextAndTag.subarray(0, tagStart));
  try {
    decipher.final();
  } catch {
    return null;
  }
  return plaintext;
}

/** {@link gcmOpen} for the usual IV ‖ ciphertext ‖ tag layout; `null` on any failure. */
export function gcmOpenBlob(key: Uint8Array, blob: Uint8Array, aad?: Uint8Array): Buffer | null {
  if (blob.length < GCM_IV_BYTES + GCM_TAG_BYTES) return null;
  return gcmOpen(key, blob.subarray(0, GCM_IV_BYTES), blob.subarray(GCM_IV_BYTES), aad);
}
