import type { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';
import { javaUtf8Text } from './internal/java-utf8.js';

/**
 * SHA-256 of the UTF-8 bytes of a normalized email or phone: the DII hash (spec/internals.md §3.2,
 * spec/api.md §5.3). Encodes unpaired surrogates as `?` like Java's `getBytes(UTF_8)`.
 * The input must already be normalized ({@link tryNormalizeEmail} / {@link isNormalizedPhone});
 * this function does not check it.
 *
 * @param normalized - normalized email or phone text.
 * @returns the 32-byte digest (a fresh Buffer).
 */
export function hashDii(normalized: string): Buffer {
  return hash('sha256', javaUtf8Text(normalized), 'buffer');
}

/**
 * {@link hashDii} as standard base64 with padding (44 chars): the `email_hash` / `phone_hash`
 * value a client would send (spec/api.md §5.3).
 *
 * @param normalized - normalized email or phone text.
 */
export function hashDiiBase64(normalized: string): string {
  return hash('sha256', javaUtf8Text(normalized), 'base64');
}

/**
 * {@link hashDii} as lower-case hex (64 chars), the other accepted `*_hash` form (spec/api.md §5.3).
 *
 * @param normalized - normalized email or phone text.
 */
export function hashDiiHex(normalized: string): string {
  return hash('sha256', javaUtf8Text(normalized), 'hex');
}
