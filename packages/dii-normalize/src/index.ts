/**
 * `@uid2-operator/dii-normalize`: email normalization, phone validation, hash-input handling and
 * DII hashing exactly as the UID2 operator does them (spec/api.md §5.1–5.3, spec/internals.md §3.1–3.2).
 */
export { DII_ERROR_CODES, DiiError } from './dii-error.js';
export type { DiiErrorCode } from './dii-error.js';
export type { DiiInputForm, IdentityType } from './identity-type.js';
export { normalizeEmail, tryNormalizeEmail } from './normalize-email.js';
export { isNormalizedPhone, normalizePhone } from './normalize-phone.js';
export { normalizeHash, tryDecodeHash, tryNormalizeHash } from './normalize-hash.js';
export { hashDii, hashDiiBase64, hashDiiHex } from './hash-dii.js';
export { diiHashOf, requireDiiHash } from './dii-hash-of.js';
