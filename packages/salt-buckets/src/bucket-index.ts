/** Production bucket count (2^20); the 20-bit index is used directly for tables of this size. */
export const PRODUCTION_BUCKET_COUNT = 1_048_576;

/**
 * Salt bucket selected by a first-level hash (spec/internals.md §3.4, spec/api.md §5.4):
 * `idx20 = (flh[0] << 12) | (flh[1] << 4) | (flh[2] & 0x0F)` (low nibble of byte 2), used as is
 * when `bucketCount` is 1,048,576 and `idx20 mod bucketCount` otherwise. The bucket is the array
 * position (salt-file line), not the row id.
 *
 * @param flh - the first-level hash (at least 3 bytes are read).
 * @param bucketCount - number of buckets in the snapshot (positive integer).
 * @returns the 0-based bucket index.
 * @throws TypeError if `flh` is shorter than 3 bytes or `bucketCount` is not a positive integer.
 */
export function bucketIndex(flh: Uint8Array, bucketCount: number): number {
  if (flh.length < 3 || !(Number.isInteger(bucketCount) && bucketCount > 0)) {
    throw new TypeError('bucketIndex needs a first-level hash and a positive bucket count');
  }
  return bucketIndexUnchecked(flh, bucketCount);
}

/** {@link bucketIndex} without argument checks, for internal hot paths. */
export function bucketIndexUnchecked(flh: Uint8Array, bucketCount: number): number {
  const idx20 = ((flh[0] ?? 0) << 12) | ((flh[1] ?? 0) << 4) | ((flh[2] ?? 0) & 0x0f);
  return bucketCount === PRODUCTION_BUCKET_COUNT ? idx20 : idx20 % bucketCount;
}
