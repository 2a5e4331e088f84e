import { describe, expect, it } from 'vitest';
import { bucketsUpdatedSince } from './buckets-updated-since.js';
import type { SaltBucket, SaltSource } from './salt-bucket.js';
import { createSaltTable, createSaltTableFrom } from './salt-table.js';

function bucket(index: number, lastUpdatedMs: number): SaltBucket {
  return {
    index,
    bucketId: `b${index}`,
    lastUpdatedMs,
    refreshFromMs: 0,
    currentSalt: 's',
    previousSalt: null,
    currentKey: null,
    previousKey: null,
  };
}

const buckets = [bucket(0, 100), bucket(1, 50), bucket(2, 200), bucket(3, 99)];

describe('bucketsUpdatedSince', () => {
  it('includes buckets updated exactly at the since time, in index order', () => {
    const expected = [
      { index: 0, bucketId: 'b0', lastUpdatedMs: 100 },
      { index: 2, bucketId: 'b2', lastUpdatedMs: 200 },
    ];
    expect(bucketsUpdatedSince(createSaltTableFrom('fl', buckets), 100)).toEqual(expected);
    const source: SaltSource = { firstLevelSalt: 'fl', bucketCount: 4, bucket: (i) => buckets[i]! };
    expect(bucketsUpdatedSince(source, 100)).toEqual(expected);
    expect(bucketsUpdatedSince(buckets, 100)).toEqual(expected);
  });

  it('skips buckets of a table that are not loaded yet', () => {
    const table = createSaltTable({ firstLevelSalt: 'fl', bucketCount: 3 });
    table.set(bucket(1, 10));
    expect(bucketsUpdatedSince(table, -1)).toEqual([{ index: 1, bucketId: 'b1', lastUpdatedMs: 10 }]);
  });
});
