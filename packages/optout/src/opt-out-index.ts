import type { IdentityScope } from './identity.js';
import { FingerprintTable } from './internal/fingerprint-table.js';
import {
  DEFAULT_SNAPSHOT_CHUNK_BYTES,
  readIndexSnapshot,
  writeIndexSnapshot,
} from './internal/index-snapshot.js';
import type { SharedOptOutHashes, SharedSegmentUpdate } from './shared-opt-out-hashes.js';
import {
  assertAdvertisingId,
  assertFirstLevelHash,
  assertHashAt,
  assertOptOutRecord,
} from './opt-out-record.js';
import type { OptOutRecord } from './opt-out-record.js';

/** Options of {@link OptOutIndex}. */
export interface OptOutIndexOptions {
  /**
   * When set, records of the other scope are skipped by `add`. An operator serves one scope, so its
   * index need not key on scope; leave unset when the source is already filtered.
   */
  readonly scope?: IdentityScope;
  /**
   * Keep the first-level-hash table in `SharedArrayBuffer`s so worker threads can check opt-outs
   * on it ({@link OptOutIndex.shareFirstLevelHashes}, `SharedOptOutHashReader`). Same memory; once the
   * table was shared, each add costs two atomic increments more.
   */
  readonly shared?: boolean;
}

/** Items an index can be built from: records or batches (arrays) of records, sync or async. */
export type OptOutRecordSource =
  Iterable<OptOutRecord | readonly OptOutRecord[]> | AsyncIterable<OptOutRecord | readonly OptOutRecord[]>;

/**
 * Compact in-memory opt-out index (spec/internals.md §6.1, spec/api.md §5.5 step 2 and §8): answers
 * "is this first-level hash opted out?" and "since when is this advertising id opted out?" for
 * tens of millions of opt-outs, with incremental adds and no rebuild.
 *
 * Layout. Two hash tables of 56-bit fingerprints, one keyed by the FLH and one by the last 32
 * bytes of the advertising id (raw UID, as the opt-out file format does, spec/internals.md §6.3).
 * Each slot is 11 bytes: 7 fingerprint bytes + uint32 epoch seconds (the earliest seen). Each table
 * is split into 2048 Robin Hood segments whose capacities are staggered by factors 2^(j/2048) and
 * double independently at load 0.9, so loads are spread over (0.45, 0.9] at every size:
 * 11 B × 1/(0.9 · ln 2) ≈ 17.6 B per key and table, ≈ 35.3 B per opt-out with both tables (every
 * record with an advertising id), plus about 1 MB of fixed overhead. Because the segments do not
 * double together, this holds right after any doubling as well (one doubling re-hashes 1/2048 of
 * a table, ≈ 0.15–0.3 ms at 10 M entries): ≤ 40 B per entry at 10 M.
 *
 * Accuracy. No false negatives. A false positive needs a stored key with the same 11 segment bits
 * and 56 fingerprint bits: probability ≈ n · 2^-67 per lookup, 6.8e-14 at n = 10 M (1e-12 only
 * at ≈ 150 M). Two keys sharing a fingerprint count as one entry in `size`.
 *
 * Scope and type are not keys: an operator runs one scope (pass `scope` to skip the other one) and
 * FLHs of different DII types differ anyway. Times are epoch **seconds**; lookups return -1 when
 * absent. Lookups cost one segment pick plus a short probe (well under 1 µs).
 */
export class OptOutIndex {
  /** The scope this index keeps, or `undefined` when it keeps every record. */
  readonly scope: IdentityScope | undefined;
  private readonly byHash: FingerprintTable;
  private readonly byAdvertisingId = new FingerprintTable();
  private readonly segmentListeners = new Set<(update: SharedSegmentUpdate) => void>();

  /** Creates an empty index; see {@link OptOutIndexOptions}. */
  constructor(options: OptOutIndexOptions = {}) {
    this.scope = options.scope;
    this.byHash = new FingerprintTable({ shared: options.shared === true });
    if (options.shared === true) {
      this.byHash.onReplaced = (update) => {
        for (const listener of this.segmentListeners) listener(update);
      };
    }
  }

  /**
   * Handles on the first-level-hash table for `SharedOptOutHashReader` in worker threads (post
   * them as they are: every array is `SharedArrayBuffer`-backed). Forward later
   * {@link OptOutIndex.onSegmentReplaced} updates to the readers in the same order.
   * @throws TypeError unless the index was created with `shared: true`
   */
  shareFirstLevelHashes(): SharedOptOutHashes {
    const versions = this.byHash.versions;
    if (versions === undefined) throw new TypeError('OptOutIndex was not created with shared: true');
    return { versions, segments: this.byHash.segmentSlots() };
  }

  /**
   * Calls `listener` each time a segment of the shared first-level-hash table moves to new storage
   * (it doubled). Returns the unsubscribe function. Never called on an index that is not shared.
   */
  onSegmentReplaced(listener: (update: SharedSegmentUpdate) => void): () => void {
    this.segmentListeners.add(listener);
    return () => this.segmentListeners.delete(listener);
  }

  /**
   * Builds an index from a stream of records or record batches (sync or async iterable), e.g. the
   * pages of an `OptOutStore.scan`. Throws the {@link OptOutError} of the first invalid record.
   */
  static async fromRecords(
    source: OptOutRecordSource,
    options: OptOutIndexOptions = {},
  ): Promise<OptOutIndex> {
    const index = new OptOutIndex(options);
    await index.addFrom(source);
    return index;
  }

  /**
   * Loads an index from the chunks of a {@link OptOutIndex.snapshot} (sync or async iterable, any
   * chunking), copying each segment straight into place: no hashing of keys, no growth, about the
   * cost of reading the bytes (≈ 35 bytes per opt-out). `options.scope` must equal the scope of the
   * snapshotted index; `options.shared` may differ. Abandons (`return()`s) the source on failure.
   * @throws OptOutError `ERR_OPTOUT_BAD_SNAPSHOT` when the bytes are damaged or truncated (SHA-256
   *   trailer mismatch), of another format version, or of another scope; whatever the source throws
   */
  static async fromSnapshot(
    chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
    options: OptOutIndexOptions = {},
  ): Promise<OptOutIndex> {
    const index = new OptOutIndex(options);
    await readIndexSnapshot(chunks, [index.byHash, index.byAdvertisingId], scopeCode(index.scope));
    return index;
  }

  /**
   * Serializes the index for {@link OptOutIndex.fromSnapshot}: both tables as they are in memory,
   * plus a header and a SHA-256 trailer — {@link memoryBytes} + 20 KiB in all. Yields fresh chunks
   * of at least `chunkBytes` (default 8 MiB; the last one may be shorter), each at most one segment
   * (≈ 0.03 % of a table) longer. Each chunk is copied in one synchronous step, so the index may keep
   * changing while the caller awaits between chunks: the snapshot then holds every entry added
   * before the call and possibly some added during it, each segment as of one instant (adds are
   * idempotent, so replaying the records written since the call's start yields the live index).
   * @throws RangeError when `chunkBytes` is not a positive integer
   */
  *snapshot(options: { readonly chunkBytes?: number } = {}): Generator<Uint8Array> {
    const chunkBytes = options.chunkBytes ?? DEFAULT_SNAPSHOT_CHUNK_BYTES;
    if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new RangeError('chunkBytes must be a positive integer');
    yield* writeIndexSnapshot([this.byHash, this.byAdvertisingId], scopeCode(this.scope), chunkBytes);
  }

  /** Number of distinct first-level hashes (opted-out identities) in the index. */
  get size(): number {
    return this.byHash.size;
  }

  /** Number of distinct advertising ids (last 32 bytes) in the index. */
  get advertisingIdCount(): number {
    return this.byAdvertisingId.size;
  }

  /**
   * Adds one opt-out. Adding an FLH again keeps the earliest `optedOutAtSeconds`; the same holds
   * per advertising id. Returns true when the FLH was not in the index yet (false when it was, or
   * when the record's scope is filtered out). Throws `OptOutError` (`ERR_OPTOUT_BAD_HASH`,
   * `ERR_OPTOUT_BAD_ADVERTISING_ID`, `ERR_OPTOUT_BAD_SCOPE`, `ERR_OPTOUT_BAD_TYPE`,
   * `ERR_OPTOUT_BAD_TIMESTAMP`) for an invalid record, before changing anything.
   */
  add(record: OptOutRecord): boolean {
    assertOptOutRecord(record);
    if (this.scope !== undefined && record.scope !== this.scope) return false;
    const seconds = record.optedOutAtSeconds;
    const adid = record.advertisingId;
    if (adid != null) this.byAdvertisingId.upsertMin(adid, adid.length - 32, seconds);
    return this.byHash.upsertMin(record.firstLevelHash, 0, seconds);
  }

  /** Adds every record of `records` (see {@link OptOutIndex.add}); returns how many FLHs were new. */
  addAll(records: Iterable<OptOutRecord>): number {
    let added = 0;
    for (const record of records) if (this.add(record)) added++;
    return added;
  }

  /**
   * Adds a stream of records or record batches (sync or async iterable); returns how many FLHs
   * were new. The index stays usable while the stream is consumed.
   */
  async addFrom(source: OptOutRecordSource): Promise<number> {
    let added = 0;
    const addItem = (item: OptOutRecord | readonly OptOutRecord[]): void => {
      if (isBatch(item)) added += this.addAll(item);
      else if (this.add(item)) added++;
    };
    if (Symbol.asyncIterator in source) {
      for await (const item of source) addItem(item);
    } else {
      for (const item of source) addItem(item);
    }
    return added;
  }

  /**
   * True when an opt-out exists for the 32-byte first-level hash (any time; spec/api.md §5.5 step 2).
   * Throws `OptOutError` `ERR_OPTOUT_BAD_HASH` for another length.
   */
  isOptedOut(firstLevelHash: Uint8Array): boolean {
    assertFirstLevelHash(firstLevelHash);
    return this.byHash.get(firstLevelHash, 0) >= 0;
  }

  /**
   * {@link OptOutIndex.isOptedOut} of the 32-byte first-level hash at `offset` of `bytes` (hashes
   * side by side in one buffer), without allocating a subarray. Throws `OptOutError`
   * `ERR_OPTOUT_BAD_HASH` unless `bytes[offset, offset + 32)` lies inside `bytes`.
   */
  isOptedOutAt(bytes: Uint8Array, offset: number): boolean {
    assertHashAt(bytes, offset);
    return this.byHash.get(bytes, offset) >= 0;
  }

  /**
   * Earliest opt-out time of the first-level hash in epoch **seconds**, or -1 when not opted out.
   * Throws `OptOutError` `ERR_OPTOUT_BAD_HASH` unless 32 bytes.
   */
  optedOutSince(firstLevelHash: Uint8Array): number {
    assertFirstLevelHash(firstLevelHash);
    return this.byHash.get(firstLevelHash, 0);
  }

  /**
   * Earliest opt-out time in epoch **seconds** of the raw UID (32 or 33 bytes, matched on its last
   * 32 bytes), or -1 (spec/api.md §8: the operator multiplies by 1000 for `opted_out_since`).
   * Throws `OptOutError` `ERR_OPTOUT_BAD_ADVERTISING_ID` for another length.
   */
  advertisingIdOptedOutSince(rawUid: Uint8Array): number {
    assertAdvertisingId(rawUid);
    return this.byAdvertisingId.get(rawUid, rawUid.length - 32);
  }

  /** Bytes of slot storage held by both tables (excludes the ≈ 1 MB of fixed object overhead). */
  memoryBytes(): number {
    return this.byHash.memoryBytes() + this.byAdvertisingId.memoryBytes();
  }
}

/** Snapshot header code of an index scope. */
function scopeCode(scope: IdentityScope | undefined): number {
  return scope === undefined ? 0 : scope === 'UID2' ? 1 : 2;
}

function isBatch(item: OptOutRecord | readonly OptOutRecord[]): item is readonly OptOutRecord[] {
  return Array.isArray(item);
}
