import { hash } from 'node:crypto';

/**
 * Hashes an API key the way the reference operator stores it (spec/internals.md §5.1):
 * `base64(SHA-512(saltBytes ‖ UTF-8(key)))`.
 *
 * @param key - the plaintext API key, e.g. `UID2-C-L-999-fCXrMM.fsR3…`.
 * @param salt - the key salt: standard base64 text (as stored in `key_salt`) or the raw bytes.
 * @returns the 88-character standard-base64 SHA-512 digest (`key_hash`).
 */
export function hashApiKey(key: string, salt: string | Uint8Array): string {
  const saltBytes = typeof salt === 'string' ? Buffer.from(salt, 'base64') : salt;
  return hash('sha512', Buffer.concat([saltBytes, Buffer.from(key, 'utf8')]), 'base64');
}
