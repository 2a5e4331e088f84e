/**
 * Error codes thrown by `@uid2-operator/salt-buckets`.
 *
 * - `ERR_SALT_BUCKET_MISSING`: a salt table has no data for the bucket an identity falls into
 *   (the table was not fully loaded). `detail` = bucket index.
 * - `ERR_SALT_INVALID_BUCKET`: a bucket is unusable: no current salt and no current key material,
 *   a key that is not 16/24/32 bytes, a bad index or timestamp (spec/internals.md §3.8, §3.10).
 *   `detail` = bucket index.
 * - `ERR_SALT_FILE_FORMAT`: a salt-file CSV line does not have the 11-column shape of
 *   spec/internals.md §3.10. `detail` = 0-based line number when known.
 * - `ERR_SALT_INVALID_TIMESTAMP`: `since_timestamp` is not an ISO-8601 local date-time
 *   (spec/api.md §7.3); the operator answers `invalid date, must conform to ISO 8601`.
 */
export const SALT_ERROR_CODES = [
  'ERR_SALT_BUCKET_MISSING',
  'ERR_SALT_INVALID_BUCKET',
  'ERR_SALT_FILE_FORMAT',
  'ERR_SALT_INVALID_TIMESTAMP',
] as const;

/** One of {@link SALT_ERROR_CODES}. */
export type SaltErrorCode = (typeof SALT_ERROR_CODES)[number];

const MESSAGES: Readonly<Record<SaltErrorCode, string>> = {
  ERR_SALT_BUCKET_MISSING: 'salt bucket not loaded',
  ERR_SALT_INVALID_BUCKET: 'invalid salt bucket',
  ERR_SALT_FILE_FORMAT: 'invalid salt file line',
  ERR_SALT_INVALID_TIMESTAMP: 'invalid date, must conform to ISO 8601',
};

/**
 * The single error class of this package. Messages are fixed per code and never contain salts,
 * keys or identity data; `detail` carries a bucket index or line number at most.
 */
export class SaltError extends Error {
  /** Machine-readable reason, see {@link SALT_ERROR_CODES}. */
  readonly code: SaltErrorCode;
  /** Bucket index or 0-based line number, when the code names one. */
  readonly detail: number | undefined;

  /**
   * @param code - the reason; the message is derived from it.
   * @param detail - bucket index or line number (never secret material).
   */
  constructor(code: SaltErrorCode, detail?: number) {
    super(MESSAGES[code]);
    this.name = 'SaltError';
    this.code = code;
    this.detail = detail;
  }
}
