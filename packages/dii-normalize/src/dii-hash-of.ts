import type { Buffer } from 'node:buffer';
import { DiiError } from './dii-error.js';
import type { DiiErrorCode } from './dii-error.js';
import { hashDii } from './hash-dii.js';
import type { DiiInputForm, IdentityType } from './identity-type.js';
import { tryNormalizeEmail } from './normalize-email.js';
import { tryDecodeHash } from './normalize-hash.js';
import { isNormalizedPhone } from './normalize-phone.js';

/**
 * Hot-path helper: the identity bytes that go into the first-level hash for one request
 * identifier, or `null` for an invalid identifier (spec/api.md §5.1–5.3, spec/internals.md
 * §3.1–3.2). Never throws, never allocates an error.
 *
 * | type / form     | result |
 * |-----------------|--------|
 * | email / `raw`   | SHA-256 of the normalized address (32 bytes) |
 * | phone / `raw`   | SHA-256 of the number if it is valid E.164 (32 bytes) |
 * | any / `hash`    | the decoded base64 (usually 32 bytes, 31–33 possible) or hex (32 bytes) |
 *
 * A non-string `value` (e.g. a JSON `null` array element) also yields `null`.
 *
 * @param type - `'email'` or `'phone'`.
 * @param form - `'raw'` for `email` / `phone`, `'hash'` for `email_hash` / `phone_hash`.
 * @param value - the identifier exactly as received.
 * @returns a fresh Buffer of identity bytes, or `null`.
 */
export function diiHashOf(type: IdentityType, form: DiiInputForm, value: string): Buffer | null {
  if (typeof value !== 'string') return null;
  if (form === 'hash') return tryDecodeHash(value);
  if (type === 'email') {
    const normalized = tryNormalizeEmail(value);
    return normalized === null ? null : hashDii(normalized);
  }
  return isNormalizedPhone(value) ? hashDii(value) : null;
}

/**
 * Throwing variant of {@link diiHashOf}, for single-identifier endpoints (token generate) that
 * report why an identifier was refused.
 *
 * @param type - `'email'` or `'phone'`.
 * @param form - `'raw'` or `'hash'`.
 * @param value - the identifier exactly as received.
 * @returns a fresh Buffer of identity bytes.
 * @throws DiiError `ERR_DII_INVALID_EMAIL`, `ERR_DII_INVALID_PHONE` (raw forms) or
 *   `ERR_DII_INVALID_HASH` (hash forms).
 */
export function requireDiiHash(type: IdentityType, form: DiiInputForm, value: string): Buffer {
  const bytes = diiHashOf(type, form, value);
  if (bytes !== null) return bytes;
  const code: DiiErrorCode =
    form === 'hash'
      ? 'ERR_DII_INVALID_HASH'
      : type === 'email'
        ? 'ERR_DII_INVALID_EMAIL'
        : 'ERR_DII_INVALID_PHONE';
  throw new DiiError(code);
}
