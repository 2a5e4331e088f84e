import { describe, expect, it } from 'vitest';
import { SaltError } from './salt-error.js';
import type { SaltBucket } from './salt-bucket.js';
import { createSaltTable, createSaltTableFrom, isSaltTable, restoreSaltTable } from './salt-table.js';

const FIRST_LEVEL_SALT = 'fOGY/aRE44peL23i+cE9MkJrzmEeNZZziNZBfq7qqk8=';
const KEY = 'key12345key12345key12345key12345';

function saltBucket(index: number, overrides: Partial<SaltBucket> = {}): SaltBucket {
  return {
    index,
    bucketId: `b${index}`,
    lastUpdatedMs: 1_700_000_000_000 + index,
    refreshFromMs: 1_800_000_000_000,
    currentSalt: `salt-${index}`.padEnd(44, '='),
    previousSalt: null,
    currentKey: null,
    previousKey: null,
    ...overrides,
  };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof SaltError ? error.code : 'not a SaltError';
  }
  return undefined;
}

describe('createSaltTable', () => {
  it('stores and returns every field of a bucket, including non-ASCII text', () => {
    const table = createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 3 });
    const bucket = saltBucket(1, {
      bucketId: 'bé',
      previousSalt: 'sel-é-😊',
      currentKey: { id: -5, key: KEY, salt: 'ks1' },
      previousKey: { id: 0x7fffffff, key: 'k'.repeat(16), salt: 'ks2' },
    });
    table.set(bucket);
    expect(table.bucket(1)).toEqual(bucket);
    expect(table.bucketIdAt(1)).toBe('bé');
    expect(table.lastUpdatedMsAt(1)).toBe(bucket.lastUpdatedMs);
    expect(table.refreshFromMsAt(1)).toBe(bucket.refreshFromMs);
    expect(table.loadedCount).toBe(1);
    expect(table.has(1)).toBe(true);
    expect(table.has(0)).toBe(false);
    expect(isSaltTable(table)).toBe(true);
  });

  it('treats empty strings and empty key material as absent', () => {
    const table = createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 1 });
    table.set(saltBucket(0, { bucketId: '', previousSalt: '', previousKey: { id: 1, key: '', salt: 'x' } }));
    expect(table.bucket(0)).toMatchObject({ bucketId: '', previousSalt: null, previousKey: null });
  });

  it('replaces a bucket and counts it once', () => {
    const table = createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 2 });
    table.set(saltBucket(0));
    table.set(saltBucket(0, { currentSalt: 'new' }));
    expect(table.loadedCount).toBe(1);
    expect(table.bucket(0).currentSalt).toBe('new');
  });

  it('keeps every bucket intact across arena growth and compaction', () => {
    const table = createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 64 });
    for (let i = 0; i < 64; i++) table.set(saltBucket(i));
    for (let round = 0; round < 400; round++) {
      for (let i = 0; i < 64; i += 3)
        table.set(saltBucket(i, { currentSalt: `r${round}-${i}-${'x'.repeat(200)}` }));
    }
    for (let i = 0; i < 64; i++) {
      expect(table.bucket(i).currentSalt).toBe(
        i % 3 === 0 ? `r399-${i}-${'x'.repeat(200)}` : saltBucket(i).currentSalt,
      );
    }
  });

  it('rejects unusable buckets with ERR_SALT_INVALID_BUCKET and the index as detail', () => {
    const table = createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 2 });
    const bad: SaltBucket[] = [
      saltBucket(2),
      saltBucket(-1),
      saltBucket(0.5),
      saltBucket(0, { currentSalt: null }),
      saltBucket(0, { currentSalt: '' }),
      saltBucket(0, { lastUpdatedMs: Number.NaN }),
      saltBucket(0, { refreshFromMs: Number.POSITIVE_INFINITY }),
      saltBucket(0, { currentSalt: null, currentKey: { id: 1, key: 'short', salt: 's' } }),
      saltBucket(0, { currentKey: { id: 2 ** 31, key: KEY, salt: 's' } }),
      saltBucket(0, { currentKey: { id: 1, key: 42 as unknown as string, salt: 's' } }),
      saltBucket(0, { previousSalt: 'x'.repeat(70_000) }),
      saltBucket(0, { previousSalt: 'é'.repeat(33_000) }),
      saltBucket(0, { bucketId: 7 as unknown as string }),
      saltBucket(0, { previousSalt: 7 as unknown as string }),
    ];
    for (const bucket of bad)
      expect(
        codeOf(() => table.set(bucket)),
        JSON.stringify(bucket.index),
      ).toBe('ERR_SALT_INVALID_BUCKET');
    expect(table.loadedCount).toBe(0);
    try {
      table.set(saltBucket(1, { currentSalt: null }));
    } catch (error) {
      expect((error as SaltError).detail).toBe(1);
    }
  });

  it('accepts a long multi-byte text that still fits 65,535 bytes', () => {
    const table = createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 1 });
    table.set(saltBucket(0, { previousSalt: 'é'.repeat(30_000) }));
    expect(table.bucket(0).previousSalt).toHaveLength(30_000);
  });

  it('throws ERR_SALT_BUCKET_MISSING for a bucket not loaded and RangeError outside the table', () => {
    const table = createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 2 });
    expect(codeOf(() => table.bucket(1))).toBe('ERR_SALT_BUCKET_MISSING');
    expect(codeOf(() => table.bucketIdAt(0))).toBe('ERR_SALT_BUCKET_MISSING');
    expect(codeOf(() => table.lastUpdatedMsAt(0))).toBe('ERR_SALT_BUCKET_MISSING');
    expect(codeOf(() => table.refreshFromMsAt(0))).toBe('ERR_SALT_BUCKET_MISSING');
    expect(() => table.bucket(2)).toThrow(RangeError);
  });

  it('rejects a bucket count that is not a positive integer', () => {
    expect(() => createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 0 })).toThrow(TypeError);
    expect(() => createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 1.5 })).toThrow(TypeError);
  });

  it('loads 1,048,576 buckets through set', () => {
    const count = 1_048_576;
    const table = createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: count });
    const salt = 'vgv1BwiNRCW7F3VcNXHlZh+7oHJ4G4gCshbGcVOLnss=';
    const rows: SaltBucket[] = [];
    for (let i = 0; i < count; i++) {
      rows.push({
        index: i,
        bucketId: `b${(1_000_000 + i).toString(36)}abcd`,
        lastUpdatedMs: 1_700_000_000_000,
        refreshFromMs: 1_800_000_000_000,
        currentSalt: `${salt.slice(0, 30)}${i.toString().padStart(13, '0')}=`,
        previousSalt: salt,
        currentKey: null,
        previousKey: null,
      });
    }
    // Speed is measured by the benchmarks under tools/, not asserted here.
    for (const row of rows) table.set(row);
    expect(table.loadedCount).toBe(count);
    expect(table.bucket(count - 1)).toEqual(rows[count - 1]);
  }, 60_000);
});

describe('createSaltTableFrom', () => {
  it('builds a full table whatever the order of the list', () => {
    const table = createSaltTableFrom(FIRST_LEVEL_SALT, [saltBucket(1), saltBucket(0)]);
    expect(table.bucketCount).toBe(2);
    expect(table.bucket(0)).toEqual(saltBucket(0));
  });

  it('reports the first missing index', () => {
    try {
      createSaltTableFrom(FIRST_LEVEL_SALT, [saltBucket(0), saltBucket(0), saltBucket(2)]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SaltError);
      expect((error as SaltError).code).toBe('ERR_SALT_BUCKET_MISSING');
      expect((error as SaltError).detail).toBe(1);
    }
  });
});

describe('exportState / restoreSaltTable', () => {
  it('restores every bucket, keeps loading state, and takes later rotations and compactions', () => {
    const table = createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 64 });
    for (let i = 0; i < 60; i++) {
      table.set(saltBucket(i, i % 5 === 0 ? { currentKey: { id: i, key: KEY, salt: `ks${i}` } } : {}));
    }
    table.set(saltBucket(3, { currentSalt: 'rewritten', previousSalt: 'é' }));
    const state = table.exportState();
    expect(state.arena.buffer.byteLength).toBe(state.arena.length);
    const copy = restoreSaltTable(
      structuredClone(state, {
        transfer: [state.arena.buffer as ArrayBuffer, state.slots.buffer as ArrayBuffer],
      }),
    );
    expect(copy.bucketCount).toBe(64);
    expect(copy.firstLevelSalt).toBe(FIRST_LEVEL_SALT);
    expect(copy.loadedCount).toBe(60);
    expect(copy.has(60)).toBe(false);
    for (let i = 0; i < 60; i++) expect(copy.bucket(i)).toEqual(table.bucket(i));
    // The copy is a table of its own: rotations grow and compact its arena.
    for (let round = 0; round < 200; round++)
      copy.set(saltBucket(round % 64, { currentSalt: `r${round}`.repeat(30) }));
    expect(copy.loadedCount).toBe(64);
    expect(copy.bucket(7).currentSalt).toBe('r199'.repeat(30));
    expect(copy.bucket(63).currentSalt).toBe('r191'.repeat(30));
    expect(table.bucket(7)).toEqual(saltBucket(7));
  });

  it('exports to shared memory that every restored copy reads in place, read-only', () => {
    const table = createSaltTableFrom(FIRST_LEVEL_SALT, [
      saltBucket(0),
      saltBucket(1, { previousSalt: 'p' }),
    ]);
    const state = table.exportState({ shared: true });
    expect(state.arena.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(state.slots.buffer).toBeInstanceOf(SharedArrayBuffer);
    const posted = structuredClone(state);
    const copy = restoreSaltTable(posted);
    expect(copy.bucket(1)).toEqual(table.bucket(1));
    expect(copy.loadedCount).toBe(2);
    // Same memory, not a copy: a byte written through one view shows in the other.
    state.arena[0] = (state.arena[0] ?? 0) ^ 1;
    expect(posted.arena[0]).toBe(state.arena[0]);
    expect(() => copy.set(saltBucket(0))).toThrow(TypeError);
    expect(restoreSaltTable(table.exportState()).bucket(0)).toEqual(saltBucket(0));
  });

  it('copies slot bytes that are not 8-byte aligned, and refuses states that do not fit', () => {
    const table = createSaltTableFrom(FIRST_LEVEL_SALT, [saltBucket(0), saltBucket(1)]);
    const state = table.exportState();
    const shifted = new Uint8Array(state.slots.length + 1).subarray(1);
    shifted.set(state.slots);
    expect(restoreSaltTable({ ...state, slots: shifted }).bucket(1)).toEqual(saltBucket(1));
    expect(() => restoreSaltTable({ ...state, slots: state.slots.subarray(8) })).toThrow(TypeError);
    expect(() => restoreSaltTable({ ...state, arena: 'x' as unknown as Uint8Array })).toThrow(TypeError);
    expect(() => restoreSaltTable({ ...state, bucketCount: 0 })).toThrow(TypeError);
    expect(
      codeOf(() => restoreSaltTable({ ...state, arena: state.arena.subarray(0, state.arena.length - 1) })),
    ).toBe('ERR_SALT_INVALID_BUCKET');
  });
});
