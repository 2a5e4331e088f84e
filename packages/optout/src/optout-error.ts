/**
 * What each {@link OptOutError} code means. The text is for logs only and never carries the
 * rejected value (hashes, advertising ids and DII stay out of messages).
 */
const OPT_OUT_ERROR_DESCRIPTIONS = {
  ERR_OPTOUT_BAD_HASH: 'first-level hash must be 32 bytes',
  ERR_OPTOUT_BAD_ADVERTISING_ID: 'advertising id must be a 32- or 33-byte raw UID',
  ERR_OPTOUT_BAD_TIMESTAMP: 'opt-out time must be an integer number of epoch seconds in [0, 2^32 - 1]',
  ERR_OPTOUT_BAD_SCOPE: "identity scope must be 'UID2' or 'EUID'",
  ERR_OPTOUT_BAD_TYPE: "identity type must be 'email' or 'phone'",
  ERR_OPTOUT_BAD_TEST_IDENTITY: 'test identity hash names an unknown test identity',
  ERR_OPTOUT_BAD_CURSOR: 'scan cursor is malformed',
  ERR_OPTOUT_BAD_LIMIT: 'scan limit must be a positive integer',
  ERR_OPTOUT_BAD_SNAPSHOT: 'opt-out index snapshot is damaged, truncated, of another format or of another scope',
} as const;

/**
 * Every code an {@link OptOutError} can carry:
 *
 * - `ERR_OPTOUT_BAD_HASH`: a first-level hash is not 32 bytes (`detail`: the received length).
 * - `ERR_OPTOUT_BAD_ADVERTISING_ID`: an advertising id is not 32 or 33 bytes (`detail`: length).
 * - `ERR_OPTOUT_BAD_TIMESTAMP`: `optedOutAtSeconds` is not an integer in [0, 2^32 − 1].
 * - `ERR_OPTOUT_BAD_SCOPE` / `ERR_OPTOUT_BAD_TYPE`: not one of the scope / type literals.
 * - `ERR_OPTOUT_BAD_TEST_IDENTITY`: a test-identity hash names a DII outside `TEST_IDENTITIES`.
 * - `ERR_OPTOUT_BAD_CURSOR`: a scan cursor was not produced by the store.
 * - `ERR_OPTOUT_BAD_LIMIT`: a scan limit is not a positive integer (`detail`: the value if numeric).
 * - `ERR_OPTOUT_BAD_SNAPSHOT`: an index snapshot does not load (damaged, truncated, checksum
 *   mismatch, another format version or another scope); build the index from records instead.
 */
export type OptOutErrorCode = keyof typeof OPT_OUT_ERROR_DESCRIPTIONS;

/** Every {@link OptOutErrorCode}, for exhaustive mapping tables. */
export const OPT_OUT_ERROR_CODES = Object.keys(OPT_OUT_ERROR_DESCRIPTIONS) as readonly OptOutErrorCode[];

/**
 * The one error class of `@uid2-operator/optout`, thrown for bad input to the index, the policy
 * and the stores. The message is fixed per code; `detail` carries a length or a number, never data.
 */
export class OptOutError extends Error {
  override readonly name = 'OptOutError';
  /** Machine-readable reason, see {@link OptOutErrorCode}. */
  readonly code: OptOutErrorCode;
  /** Received length (hash / advertising id) or numeric value (limit, timestamp); else `undefined`. */
  readonly detail: number | undefined;

  /**
   * @param code - the reason; the message is derived from it.
   * @param detail - a length or number that helps debugging; never DII or key material.
   */
  constructor(code: OptOutErrorCode, detail?: number) {
    super(OPT_OUT_ERROR_DESCRIPTIONS[code]);
    this.code = code;
    this.detail = detail;
  }
}
