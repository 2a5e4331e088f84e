import { CompactSaltTable } from './internal/compact-salt-table.js';
import type { SaltBucket, SaltSource } from './salt-bucket.js';

/** One element of the `/v2/identity/buckets` answer, before formatting (spec/api.md §7.3). */
export interface UpdatedBucket {
  /** Bucket index. */
  readonly index: number;
  /** `bucket_id`. */
  readonly bucketId: string;
  /** Epoch ms; format it with `formatLastUpdated` for `last_updated`. */
  readonly lastUpdatedMs: number;
}

function isSaltSource(value: SaltSource | Iterable<SaltBucket>): value is SaltSource {
  return typeof (value as Partial<SaltSource>).bucket === 'function';
}

/**
 * Every bucket with `lastUpdatedMs ≥ sinceMs` (inclusive), in index order: the content of
 * `/v2/identity/buckets` (spec/api.md §7.3, spec/internals.md §3.10). With a table from
 * `createSaltTable` only the matching buckets are read; any other source is read bucket by bucket.
 *
 * @param source - a salt snapshot, or any iterable of buckets (kept in its own order).
 * @param sinceMs - epoch ms from `parseSinceTimestamp`.
 * Buckets of a table that are not loaded yet are skipped.
 * @throws SaltError `ERR_SALT_BUCKET_MISSING` if another source reports a bucket as not loaded.
 */
export function bucketsUpdatedSince(
  source: SaltSource | Iterable<SaltBucket>,
  sinceMs: number,
): UpdatedBucket[] {
  const result: UpdatedBucket[] = [];
  if (source instanceof CompactSaltTable) {
    for (let index = 0; index < source.bucketCount; index++) {
      const lastUpdatedMs = source.lastUpdatedUnchecked(index);
      if (lastUpdatedMs >= sinceMs && source.has(index)) {
        result.push({ index, bucketId: source.bucketIdAt(index), lastUpdatedMs });
      }
    }
    return result;
  }
  const buckets: Iterable<SaltBucket> = isSaltSource(source) ? bucketsOf(source) : source;
  for (const bucket of buckets) {
    if (bucket.lastUpdatedMs >= sinceMs) {
      result.push({ index: bucket.index, bucketId: bucket.bucketId, lastUpdatedMs: bucket.lastUpdatedMs });
    }
  }
  return result;
}

function* bucketsOf(source: SaltSource): Generator<SaltBucket> {
  for (let index = 0; index < source.bucketCount; index++) yield source.bucket(index);
}
