import { describe, expect, it } from 'vitest';
import { DAY_MS } from './refresh-from.js';
import { defaultRotationRefreshFromMs, planRotation } from './plan-rotation.js';
import type { SaltBucket, SaltSource } from './salt-bucket.js';
import { createSaltTableFrom } from './salt-table.js';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const KEY = { id: 9, key: 'k'.repeat(32), salt: 'ks' };

function bucket(index: number, lastUpdatedMs: number, overrides: Partial<SaltBucket> = {}): SaltBucket {
  return {
    index,
    bucketId: `b${index}`,
    lastUpdatedMs,
    refreshFromMs: NOW - DAY_MS,
    currentSalt: `salt${index}`,
    previousSalt: `old${index}`,
    currentKey: null,
    previousKey: KEY,
    ...overrides,
  };
}

function saltCounter(): () => string {
  let n = 0;
  return () => `new${n++}`;
}

describe('planRotation', () => {
  const buckets = [
    bucket(0, NOW - 10 * DAY_MS),
    bucket(1, NOW - 300 * DAY_MS),
    bucket(2, NOW - 300 * DAY_MS),
    bucket(3, NOW - 400 * DAY_MS, { refreshFromMs: NOW + 1 }),
    bucket(4, NOW - 300 * DAY_MS),
    bucket(5, NOW - 200 * DAY_MS),
  ];

  it('picks the oldest eligible buckets, ties by index, and moves current to previous', () => {
    const rotated = planRotation({ buckets, fraction: 0.5, nowMs: NOW, randomSalt: saltCounter() });
    expect(rotated.map((b) => b.index)).toEqual([1, 2, 4]);
    expect(rotated[0]).toEqual({
      index: 1,
      bucketId: 'b1',
      lastUpdatedMs: NOW,
      refreshFromMs: Date.UTC(2026, 10, 27),
      currentSalt: 'new0',
      previousSalt: 'salt1',
      currentKey: null,
      previousKey: null,
    });
  });

  it('breaks ties at the threshold by index', () => {
    const rotated = planRotation({ buckets, fraction: 2 / 6, nowMs: NOW, randomSalt: saltCounter() });
    expect(rotated.map((b) => b.index)).toEqual([1, 2]);
  });

  it('never rotates a bucket whose refresh time is still ahead', () => {
    const rotated = planRotation({ buckets, fraction: 1, nowMs: NOW, randomSalt: saltCounter() });
    expect(rotated.map((b) => b.index)).toEqual([0, 1, 2, 4, 5]);
  });

  it('rounds the count up and returns nothing for a zero fraction', () => {
    expect(planRotation({ buckets, fraction: 1 / 365, nowMs: NOW, randomSalt: saltCounter() })).toHaveLength(
      1,
    );
    expect(planRotation({ buckets, fraction: 0, nowMs: NOW, randomSalt: saltCounter() })).toEqual([]);
  });

  it('moves key material to previous and can issue new key material with an explicit refresh time', () => {
    const keyed = [
      bucket(0, 0, { currentSalt: null, currentKey: KEY, previousKey: null, previousSalt: null }),
    ];
    const fresh = { id: 10, key: 'n'.repeat(32), salt: 'nks' };
    const [rotated] = planRotation({
      buckets: keyed,
      fraction: 1,
      nowMs: NOW,
      randomSalt: () => {
        throw new Error('not used');
      },
      randomKeyMaterial: () => fresh,
      refreshFromMs: NOW + 30 * DAY_MS,
    });
    expect(rotated).toMatchObject({
      currentSalt: null,
      currentKey: fresh,
      previousSalt: null,
      previousKey: KEY,
    });
    expect(rotated?.refreshFromMs).toBe(NOW + 30 * DAY_MS);
  });

  it('reads a compact table and a plain salt source the same way as an array', () => {
    const shuffled = [...buckets].reverse();
    const table = createSaltTableFrom('fl', buckets);
    const source: SaltSource = {
      firstLevelSalt: 'fl',
      bucketCount: buckets.length,
      bucket: (i) => buckets[i]!,
    };
    const expected = planRotation({
      buckets: shuffled,
      fraction: 0.5,
      nowMs: NOW,
      randomSalt: saltCounter(),
    });
    expect(planRotation({ buckets: table, fraction: 0.5, nowMs: NOW, randomSalt: saltCounter() })).toEqual(
      expected,
    );
    expect(planRotation({ buckets: source, fraction: 0.5, nowMs: NOW, randomSalt: saltCounter() })).toEqual(
      expected,
    );
  });

  it('rejects a fraction outside 0..1 and a non-finite time', () => {
    expect(() => planRotation({ buckets, fraction: 1.5, nowMs: NOW, randomSalt: saltCounter() })).toThrow(
      RangeError,
    );
    expect(() =>
      planRotation({ buckets, fraction: Number.NaN, nowMs: NOW, randomSalt: saltCounter() }),
    ).toThrow(RangeError);
    expect(() =>
      planRotation({ buckets, fraction: 0.1, nowMs: Number.NaN, randomSalt: saltCounter() }),
    ).toThrow(RangeError);
  });
});

describe('defaultRotationRefreshFromMs', () => {
  it('is the first UTC midnight after one day from now', () => {
    expect(defaultRotationRefreshFromMs(NOW)).toBe(Date.UTC(2026, 10, 27));
    expect(defaultRotationRefreshFromMs(Date.UTC(2026, 10, 25))).toBe(Date.UTC(2026, 10, 27));
  });
});
