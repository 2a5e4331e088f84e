import { CompactSaltTable } from './internal/compact-salt-table.js';
import { DAY_MS, startOfNextUtcDay } from './refresh-from.js';
import type { KeyMaterial, SaltBucket, SaltSource } from './salt-bucket.js';

/** Options of {@link planRotation}. */
export interface PlanRotationOptions {
  /** Current buckets: a salt snapshot, or an array of buckets (any order). */
  readonly buckets: SaltSource | readonly SaltBucket[];
  /** Share of **all** buckets to rotate, 0..1 (e.g. 1/365); the count is rounded up. */
  readonly fraction: number;
  /** Rotation time, epoch ms; becomes `lastUpdatedMs` of every rotated bucket. */
  readonly nowMs: number;
  /** Returns a fresh random salt text (e.g. base64 of 32 random bytes); called once per rotated bucket. */
  readonly randomSalt: () => string;
  /**
   * When given, rotated buckets get new key material (raw UID v4) instead of a new salt; called
   * once per rotated bucket and `randomSalt` is not called.
   */
  readonly randomKeyMaterial?: () => KeyMaterial;
  /**
   * `refreshFromMs` for rotated buckets, epoch ms. Default: the first UTC midnight after
   * `nowMs + 1 day` (so a bucket rotated at 10:00 on day D is promised stable until D+2 00:00).
   */
  readonly refreshFromMs?: number;
}

/** Default `refreshFromMs` of a bucket rotated at `nowMs`: next UTC midnight after now + 1 day. */
export function defaultRotationRefreshFromMs(nowMs: number): number {
  return startOfNextUtcDay(nowMs + DAY_MS);
}

interface Candidates {
  readonly count: number;
  lastUpdated(position: number): number;
  refreshFrom(position: number): number;
  bucket(position: number): SaltBucket;
}

function candidatesOf(buckets: SaltSource | readonly SaltBucket[]): Candidates {
  if (buckets instanceof CompactSaltTable) {
    const table = buckets;
    return {
      count: table.bucketCount,
      lastUpdated: (i) => table.lastUpdatedMsAt(i),
      refreshFrom: (i) => table.refreshFromMsAt(i),
      bucket: (i) => table.bucket(i),
    };
  }
  if (!Array.isArray(buckets)) {
    const source = buckets as SaltSource;
    const all = Array.from({ length: source.bucketCount }, (_, i) => source.bucket(i));
    return candidatesOf(all);
  }
  const sorted = [...(buckets as readonly SaltBucket[])].sort((a, b) => a.index - b.index);
  return {
    count: sorted.length,
    lastUpdated: (i) => sorted[i]?.lastUpdatedMs ?? 0,
    refreshFrom: (i) => sorted[i]?.refreshFromMs ?? 0,
    bucket: (i) => sorted[i] as SaltBucket,
  };
}

/**
 * Plans one salt rotation (spec/internals.md §3.10; the policy itself lives in uid2-admin and is
 * not specified, so this is the project's rule):
 *
 * 1. Eligible buckets are those whose `refreshFromMs ≤ nowMs` — a bucket is never rotated before
 *    the time identity map promised its raw UID would stay stable.
 * 2. `ceil(fraction × bucketCount)` of them are chosen, oldest `lastUpdatedMs` first, ties by
 *    lower index (fewer if fewer are eligible).
 * 3. Each chosen bucket moves current → previous (salt **and** key material: `previousSalt =
 *    currentSalt`, `previousKey = currentKey`), gets a new current salt (or new key material with
 *    `randomKeyMaterial`), `lastUpdatedMs = nowMs` and `refreshFromMs` (option, or by default the
 *    next UTC midnight after now + 1 day). The bucket id is kept.
 *
 * Nothing is modified: the caller persists the returned buckets and applies them with
 * `SaltTable.set`.
 *
 * @returns the rotated buckets in index order.
 * @throws RangeError if `fraction` is not within 0..1 or `nowMs` is not finite.
 * @throws SaltError `ERR_SALT_BUCKET_MISSING` if a table or source is not fully loaded.
 */
export function planRotation(options: PlanRotationOptions): SaltBucket[] {
  const { fraction, nowMs } = options;
  if (!(fraction >= 0 && fraction <= 1) || !Number.isFinite(nowMs)) {
    throw new RangeError('planRotation needs 0 <= fraction <= 1 and a finite nowMs');
  }
  const candidates = candidatesOf(options.buckets);
  const eligibleAges = new Float64Array(candidates.count);
  let eligible = 0;
  for (let i = 0; i < candidates.count; i++) {
    if (candidates.refreshFrom(i) <= nowMs) eligibleAges[eligible++] = candidates.lastUpdated(i);
  }
  const wanted = Math.min(Math.ceil(fraction * candidates.count), eligible);
  if (wanted === 0) return [];

  const sortedAges = eligibleAges.subarray(0, eligible).sort();
  const threshold = sortedAges[wanted - 1] ?? 0;
  let atThreshold = wanted - countBelow(sortedAges, threshold);

  const refreshFromMs = options.refreshFromMs ?? defaultRotationRefreshFromMs(nowMs);
  const rotated: SaltBucket[] = [];
  for (let i = 0; i < candidates.count && rotated.length < wanted; i++) {
    if (candidates.refreshFrom(i) > nowMs) continue;
    const age = candidates.lastUpdated(i);
    if (age > threshold) continue;
    if (age === threshold) {
      if (atThreshold === 0) continue;
      atThreshold--;
    }
    rotated.push(rotate(candidates.bucket(i), options, refreshFromMs));
  }
  return rotated;
}

function countBelow(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? 0) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function rotate(bucket: SaltBucket, options: PlanRotationOptions, refreshFromMs: number): SaltBucket {
  const useKeys = options.randomKeyMaterial !== undefined;
  return {
    index: bucket.index,
    bucketId: bucket.bucketId,
    lastUpdatedMs: options.nowMs,
    refreshFromMs,
    currentSalt: useKeys ? null : options.randomSalt(),
    previousSalt: bucket.currentSalt || null,
    currentKey: options.randomKeyMaterial ? options.randomKeyMaterial() : null,
    previousKey: bucket.currentKey ?? null,
  };
}
