/**
 * Error codes thrown by `@uid2-operator/dii-normalize`.
 *
 * - `ERR_DII_INVALID_EMAIL`: the `email` input cannot be normalized (spec/api.md §5.1).
 * - `ERR_DII_INVALID_PHONE`: the `phone` input is not an E.164 number (spec/api.md §5.2).
 * - `ERR_DII_INVALID_HASH`: the `email_hash` / `phone_hash` input is neither 44-char strict base64
 *   nor 64 hex digits (spec/api.md §5.3).
 *
 * All three map to the UID2 `invalid identifier` outcome.
 */
export const DII_ERROR_CODES = [
  'ERR_DII_INVALID_EMAIL',
  'ERR_DII_INVALID_PHONE',
  'ERR_DII_INVALID_HASH',
] as const;

/** One of {@link DII_ERROR_CODES}. */
export type DiiErrorCode = (typeof DII_ERROR_CODES)[number];

const MESSAGES: Readonly<Record<DiiErrorCode, string>> = {
  ERR_DII_INVALID_EMAIL: 'invalid email address',
  ERR_DII_INVALID_PHONE: 'invalid phone number',
  ERR_DII_INVALID_HASH: 'invalid identity hash',
};

/**
 * The single error class of this package. The message is fixed per code and never contains the
 * rejected input (it is DII).
 */
export class DiiError extends Error {
  /** Machine-readable reason, see {@link DII_ERROR_CODES}. */
  readonly code: DiiErrorCode;

  /** @param code - the reason; the message is derived from it. */
  constructor(code: DiiErrorCode) {
    super(MESSAGES[code]);
    this.name = 'DiiError';
    this.code = code;
  }
}
