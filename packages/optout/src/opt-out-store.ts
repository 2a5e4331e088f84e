import type { IdentityScope } from './identity.js';
import type { OptOutRecord } from './opt-out-record.js';

/** Options of {@link OptOutStore.scan}. */
export interface OptOutScanOptions {
  /** Resume after this cursor (from a previous page); `null` / omitted starts at the beginning. */
  readonly afterCursor?: string | null;
  /** Maximum records in the page: a positive integer. */
  readonly limit: number;
  /** Only records of this scope; omitted = every scope. */
  readonly scope?: IdentityScope;
}

/** One page of {@link OptOutStore.scan}. */
export interface OptOutScanPage {
  /** Records in scan order (first-level hash ascending as unsigned bytes, then scope). */
  readonly records: OptOutRecord[];
  /** Pass as `afterCursor` for the next page; `null` when no record followed this page. */
  readonly cursor: string | null;
}

/**
 * Durable opt-out storage (spec/internals.md §6.3, "Postgres-oriented equivalent"). Implemented in
 * memory by `InMemoryOptOutStore` and in `packages/db` for PGlite / Postgres; every implementation
 * must pass `describeOptOutStoreConformance` from `@uid2-operator/optout/testing`.
 *
 * A record is identified by (`firstLevelHash`, `scope`). Times are epoch **seconds**. Invalid input
 * rejects with an `OptOutError` (`ERR_OPTOUT_BAD_HASH`, `ERR_OPTOUT_BAD_ADVERTISING_ID`,
 * `ERR_OPTOUT_BAD_SCOPE`, `ERR_OPTOUT_BAD_TYPE`, `ERR_OPTOUT_BAD_TIMESTAMP`, `ERR_OPTOUT_BAD_LIMIT`,
 * `ERR_OPTOUT_BAD_CURSOR`; `assertOptOutRecord` does the record checks).
 */
export interface OptOutStore {
  /**
   * Validates the whole batch (nothing is written if one record is invalid), then stores it and
   * resolves to the number of (FLH, scope) keys that were new. Idempotent: for an existing key the
   * time becomes the earlier of the two, a missing (`null`) advertising id is filled from the new
   * record, and the stored advertising id and type are otherwise kept. Duplicates inside one batch
   * behave like consecutive adds.
   */
  add(records: readonly OptOutRecord[]): Promise<number>;
  /** True when a record exists for the 32-byte first-level hash in `scope`. */
  has(firstLevelHash: Uint8Array, scope: IdentityScope): Promise<boolean>;
  /**
   * Earliest `optedOutAtSeconds` over the records whose advertising id equals these bytes (32 or 33,
   * any scope), or -1 when there is none.
   */
  optedOutSince(advertisingId: Uint8Array): Promise<number>;
  /**
   * A page of records in a stable order: first-level hash ascending (unsigned bytes), then scope in
   * a fixed order. Keyset pagination: the page holds the records strictly after `afterCursor`, so a
   * record added later shows up in a later page exactly when it sorts after the cursor.
   */
  scan(options: OptOutScanOptions): Promise<OptOutScanPage>;
  /** Number of records, all scopes or only `scope`. */
  count(scope?: IdentityScope): Promise<number>;
}
