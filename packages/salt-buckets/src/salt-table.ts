import { CompactSaltTable } from './internal/compact-salt-table.js';
import { SaltError } from './salt-error.js';
import type { SaltBucket, SaltSource } from './salt-bucket.js';

/**
 * Mutable, compact in-memory salt snapshot: the operator's {@link SaltSource}. Text is kept in one
 * arena Buffer and numbers in typed arrays (no per-bucket objects), which suits 1,048,576 buckets;
 * `mapIdentity` uses precomputed salt bytes and scratch buffers when given a table.
 *
 * Build it from the database stream with {@link SaltTable.set} (any order, in batches), then keep
 * it current by calling `set` again for rotated buckets. An empty string is stored as absent.
 */
export interface SaltTable extends SaltSource {
  /** Number of distinct buckets set so far (equals `bucketCount` once fully loaded). */
  readonly loadedCount: number;
  /**
   * Stores (or replaces) the bucket at `bucket.index`. Key material with an empty key or salt is
   * treated as absent.
   *
   * @throws SaltError `ERR_SALT_INVALID_BUCKET` (detail = index) if the index is out of range, the
   *   times are not finite, the bucket has neither a current salt nor current key material, a key
   *   text is not 16/24/32 bytes, a key id is not a 32-bit integer, or a text exceeds 65,535 bytes.
   */
  set(bucket: SaltBucket): void;
  /** {@link SaltTable.set} for each bucket, in order. */
  setAll(buckets: Iterable<SaltBucket>): void;
  /** Whether the bucket at `index` has been set. */
  has(index: number): boolean;
  /**
   * The bucket id of one bucket without materializing the whole bucket.
   *
   * @throws SaltError `ERR_SALT_BUCKET_MISSING` if not loaded.
   */
  bucketIdAt(index: number): string;
  /**
   * `lastUpdatedMs` of one bucket (epoch ms).
   *
   * @throws SaltError `ERR_SALT_BUCKET_MISSING` if not loaded.
   */
  lastUpdatedMsAt(index: number): number;
  /**
   * `refreshFromMs` of one bucket (epoch ms).
   *
   * @throws SaltError `ERR_SALT_BUCKET_MISSING` if not loaded.
   */
  refreshFromMsAt(index: number): number;
  /**
   * The table as plain bytes for {@link restoreSaltTable}: ≈ 170 bytes per bucket, copied in one
   * pass instead of one object per bucket. Each array has its own `ArrayBuffer` (transfer it to a
   * worker thread), or with `shared: true` its own `SharedArrayBuffer`, which every thread it is
   * posted to reads in place: one copy serves all of them.
   */
  exportState(options?: { readonly shared?: boolean }): SaltTableState;
}

/** A {@link SaltTable}'s contents as plain bytes, from {@link SaltTable.exportState}. */
export interface SaltTableState {
  readonly firstLevelSalt: string;
  readonly bucketCount: number;
  /** The bucket records' text (UTF-8), back to back. */
  readonly arena: Uint8Array;
  /** One 48-byte numeric slot per bucket (times, key ids, record offset and field lengths). */
  readonly slots: Uint8Array;
}

/** Options of {@link createSaltTable}. */
export interface CreateSaltTableOptions {
  /** First-level salt text (`first_level` of the salt metadata). */
  readonly firstLevelSalt: string;
  /** Number of buckets (1,048,576 in production). */
  readonly bucketCount: number;
}

/**
 * Creates an empty {@link SaltTable} to be filled with `set` (spec/internals.md §3.10).
 *
 * @throws TypeError if `bucketCount` is not a positive integer.
 */
export function createSaltTable(options: CreateSaltTableOptions): SaltTable {
  return new CompactSaltTable(options.firstLevelSalt, options.bucketCount);
}

/**
 * Creates a fully loaded {@link SaltTable} from a complete list of buckets (tests, salt files):
 * `bucketCount = buckets.length` and every index 0..length−1 must be present.
 *
 * @throws SaltError `ERR_SALT_INVALID_BUCKET` for an unusable bucket (see {@link SaltTable.set}),
 *   `ERR_SALT_BUCKET_MISSING` (detail = first missing index) if an index is absent.
 * @throws TypeError if `buckets` is empty.
 */
export function createSaltTableFrom(firstLevelSalt: string, buckets: readonly SaltBucket[]): SaltTable {
  const table = new CompactSaltTable(firstLevelSalt, buckets.length);
  table.setAll(buckets);
  if (table.loadedCount !== table.bucketCount) {
    let missing = 0;
    while (table.has(missing)) missing++;
    throw new SaltError('ERR_SALT_BUCKET_MISSING', missing);
  }
  return table;
}

/**
 * A {@link SaltTable} holding the contents of {@link SaltTable.exportState}, using its byte arrays in
 * place (do not modify them afterwards). Every record is checked to lie inside the text bytes. A
 * table over shared memory (`exportState({ shared: true })`) is read-only: its `set` throws a
 * TypeError, since other threads read the same bytes.
 *
 * @throws TypeError when the bucket count is not a positive integer or the slot bytes do not match
 *   it; SaltError `ERR_SALT_INVALID_BUCKET` (detail = index) for a record outside the text bytes.
 */
export function restoreSaltTable(state: SaltTableState): SaltTable {
  return new CompactSaltTable(state.firstLevelSalt, state.bucketCount, state);
}

/** Whether `source` is a table made by this package (and can use its fast paths). */
export function isSaltTable(source: SaltSource): source is SaltTable {
  return source instanceof CompactSaltTable;
}
