import { Buffer } from 'node:buffer';
import { DiiError } from './dii-error.js';
import { BASE64_HASH_LENGTH, HEX_HASH_LENGTH, isHexHash, isStrictBase64Hash } from './internal/hash-text.js';

/**
 * Normalizes an `email_hash` / `phone_hash` input like the UID2 operator (spec/api.md §5.3,
 * spec/internals.md §3.1), or returns `null` when it is an invalid identifier:
 * - 44 characters of strict standard base64 → returned unchanged (the decoded length is **not**
 *   checked, so a 44-char unpadded text decoding to 33 bytes is accepted);
 * - 64 hex digits (either case) → converted to bytes and returned as standard base64 (44 chars);
 * - anything else → `null`.
 *
 * @param input - the hash as received.
 * @returns the base64 text the operator keeps, or `null`.
 */
export function tryNormalizeHash(input: string): string | null {
  if (input.length === BASE64_HASH_LENGTH) return isStrictBase64Hash(input) ? input : null;
  if (input.length === HEX_HASH_LENGTH && isHexHash(input))
    return Buffer.from(input, 'hex').toString('base64');
  return null;
}

/**
 * Throwing variant of {@link tryNormalizeHash} (spec/api.md §5.3).
 *
 * @param input - the hash as received.
 * @returns the standard base64 text (44 chars) the operator keeps.
 * @throws DiiError `ERR_DII_INVALID_HASH` when the input is neither 44-char strict base64 nor 64 hex digits.
 */
export function normalizeHash(input: string): string {
  const normalized = tryNormalizeHash(input);
  if (normalized === null) throw new DiiError('ERR_DII_INVALID_HASH');
  return normalized;
}

/**
 * Decodes an `email_hash` / `phone_hash` input to the identity bytes the operator feeds into the
 * first-level hash (spec/internals.md §3.2): the base64-decoded bytes for the 44-char form
 * (normally 32 bytes, 31–33 possible), the hex-decoded 32 bytes for the 64-char form.
 *
 * @param input - the hash as received.
 * @returns a fresh Buffer of identity bytes, or `null` if the input is invalid.
 */
export function tryDecodeHash(input: string): Buffer | null {
  if (input.length === BASE64_HASH_LENGTH)
    return isStrictBase64Hash(input) ? Buffer.from(input, 'base64') : null;
  if (input.length === HEX_HASH_LENGTH && isHexHash(input)) return Buffer.from(input, 'hex');
  return null;
}
