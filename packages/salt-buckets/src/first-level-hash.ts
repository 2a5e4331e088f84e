import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';
import { BASE64_OF_32_LENGTH, toBase64, writeBase64Of32 } from './internal/base64.js';

/**
 * First-level hash (FLH) of a DII hash (spec/internals.md §3.3, spec/api.md §5.4):
 * `SHA-256( ASCII(base64(diiHash)) ‖ ASCII(firstLevelSalt) )`. The salt is hashed as **text**.
 * The FLH keys opt-outs, goes into refresh tokens and selects the salt bucket.
 *
 * For repeated use with one salt prefer {@link createFirstLevelHasher} (no string building).
 *
 * @param diiHash - identity bytes (normally the 32-byte SHA-256 of the normalized DII; hash
 *   inputs may decode to 31–33 bytes and are used as they are).
 * @param firstLevelSalt - the `first_level` salt text.
 * @returns the 32-byte FLH (a fresh Buffer).
 */
export function firstLevelHash(diiHash: Uint8Array, firstLevelSalt: string): Buffer {
  return hash('sha256', toBase64(diiHash) + firstLevelSalt, 'buffer');
}

/**
 * Precomputes a first-level hasher for one salt: the salt text is encoded once into a scratch
 * buffer and the base64 of each 32-byte DII hash is written in front of it, so every call costs
 * one SHA-256 and no string building. Same result as {@link firstLevelHash}.
 *
 * The returned function is synchronous and reuses its scratch buffer; it is not re-entrant across
 * threads (each worker makes its own).
 *
 * @param firstLevelSalt - the `first_level` salt text.
 * @returns `(diiHash) => 32-byte FLH` (fresh Buffer per call).
 */
export function createFirstLevelHasher(firstLevelSalt: string): (diiHash: Uint8Array) => Buffer {
  const saltBytes = Buffer.from(firstLevelSalt, 'utf8');
  const scratch = Buffer.allocUnsafe(BASE64_OF_32_LENGTH + saltBytes.length);
  saltBytes.copy(scratch, BASE64_OF_32_LENGTH);
  return (diiHash: Uint8Array): Buffer => {
    if (diiHash.length !== 32) return firstLevelHash(diiHash, firstLevelSalt);
    writeBase64Of32(diiHash, scratch);
    return hash('sha256', scratch, 'buffer');
  };
}
