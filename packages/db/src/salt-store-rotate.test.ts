import { createBucketIdEncoder, planRotation } from '@uid2-operator/salt-buckets';
import type { SaltBucket } from '@uid2-operator/salt-buckets';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './open-database.js';
import {
  createTestEngine,
  engineNames,
  NOW_MS,
  rawQuery,
  resetDatabase,
} from './test-support/test-database.js';
import type { TestEngine } from './test-support/test-database.js';

const DAY_MS = 86_400_000;

async function allBuckets(db: Database): Promise<SaltBucket[]> {
  const out: SaltBucket[] = [];
  for await (const batch of db.salts.streamBuckets()) out.push(...batch);
  return out;
}

/**
 * 12 buckets rotated at different times: 0–3 are still promised stable (refresh time after now),
 * the others are eligible, oldest first in the order 11, 9, 7, 5, …; bucket 4 uses key material.
 */
function mixedTable(): SaltBucket[] {
  const bucketId = createBucketIdEncoder('r', 'rotation-test');
  return Array.from({ length: 12 }, (_, index) => ({
    index,
    bucketId: bucketId(index),
    lastUpdatedMs: NOW_MS - (index % 2 === 1 ? 100 + index : 50 - index) * DAY_MS,
    refreshFromMs: index < 4 ? NOW_MS + DAY_MS : NOW_MS - DAY_MS,
    currentSalt: index === 4 ? null : `salt-${index}`,
    previousSalt: index === 5 ? 'older' : null,
    currentKey: index === 4 ? { id: 7, key: 'key12345key12345key12345key12345', salt: 'ks' } : null,
    previousKey: null,
  }));
}

const withoutSalt = (bucket: SaltBucket): Omit<SaltBucket, 'currentSalt'> => {
  const { currentSalt: _salt, ...rest } = bucket;
  return rest;
};

describe.each(engineNames())('SaltStore.rotate on %s', (engineName) => {
  let engine: TestEngine;
  let db: Database;

  beforeAll(async () => {
    engine = await createTestEngine(engineName);
    db = await engine.open();
  });
  afterAll(async () => {
    await db?.close();
    await engine?.dispose();
  });
  beforeEach(() => resetDatabase(db));

  const importMixed = async (): Promise<SaltBucket[]> => {
    const buckets = mixedTable();
    await db.salts.importSalts({
      firstLevelSalt: 'fls',
      idPrefix: 'r',
      idSecret: 's',
      buckets,
      nowMs: NOW_MS,
    });
    return buckets;
  };

  it('rotates the share of buckets planRotation picks, with new random salts, as one change', async () => {
    const before = await importMixed();
    const cursor = await db.changes.currentCursor();
    const result = await db.salts.rotate({ fraction: 0.25, nowMs: NOW_MS });
    expect(result).toEqual({ rotated: 3, eligible: 8, bucketCount: 12 });

    const planned = planRotation({ buckets: before, fraction: 0.25, nowMs: NOW_MS, randomSalt: () => 'x' });
    expect(planned.map((bucket) => bucket.index)).toEqual([7, 9, 11]);
    const after = await allBuckets(db);
    const rotated = planned.map((bucket) => after[bucket.index]!);
    expect(rotated.map(withoutSalt)).toEqual(planned.map(withoutSalt));
    for (const bucket of rotated) {
      expect(Buffer.from(bucket.currentSalt!, 'base64')).toHaveLength(32);
      expect(bucket.previousSalt).toBe(`salt-${bucket.index}`);
      expect(bucket.refreshFromMs).toBe(NOW_MS + 2 * DAY_MS);
    }
    expect(new Set(rotated.map((bucket) => bucket.currentSalt)).size).toBe(3);
    const untouched = (list: SaltBucket[]) => list.filter((bucket) => ![7, 9, 11].includes(bucket.index));
    expect(untouched(after)).toEqual(untouched(before));

    const { entries } = await db.changes.readSince(cursor);
    expect(entries.map((entry) => [entry.entity, entry.entityKey, entry.op])).toEqual([
      ['salt', null, 'update'],
    ]);
    expect(await db.salts.changedBuckets(entries[0]!.id)).toEqual(rotated);
  });

  it('rotates key-material buckets to a salt, keeps their key as the previous one, and honors refreshFromMs', async () => {
    await importMixed();
    const refreshFromMs = NOW_MS + 10 * DAY_MS;
    expect(await db.salts.rotate({ fraction: 1, nowMs: NOW_MS, refreshFromMs })).toEqual({
      rotated: 8,
      eligible: 8,
      bucketCount: 12,
    });
    const after = await allBuckets(db);
    expect(after[4]).toMatchObject({
      previousSalt: null,
      currentKey: null,
      previousKey: { id: 7, key: 'key12345key12345key12345key12345', salt: 'ks' },
      refreshFromMs,
      lastUpdatedMs: NOW_MS,
    });
    expect(after.filter((bucket) => bucket.lastUpdatedMs === NOW_MS).map((b) => b.index)).toEqual([
      4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    // Every bucket is now promised stable: nothing is eligible until its refresh time.
    const cursor = await db.changes.currentCursor();
    expect(await db.salts.rotate({ fraction: 1, nowMs: NOW_MS + DAY_MS - 1 })).toEqual({
      rotated: 0,
      eligible: 0,
      bucketCount: 12,
    });
    expect((await db.changes.readSince(cursor)).entries).toEqual([]);
  });

  it('lets concurrent rotations run one after the other, so no bucket is rotated twice', async () => {
    await db.salts.initSalts({ bucketCount: 10, nowMs: NOW_MS - 30 * DAY_MS });
    const results = await Promise.all([
      db.salts.rotate({ fraction: 0.5, nowMs: NOW_MS }),
      db.salts.rotate({ fraction: 0.5, nowMs: NOW_MS }),
    ]);
    expect(results.map((result) => result.rotated)).toEqual([5, 5]);
    expect(results.map((result) => result.eligible).sort((a, b) => a - b)).toEqual([5, 10]);
    const after = await allBuckets(db);
    expect(after.every((bucket) => bucket.lastUpdatedMs === NOW_MS && bucket.previousSalt !== null)).toBe(
      true,
    );
  });

  it.runIf(engineName === 'postgres')(
    'waits while another transaction holds the salt metadata lock',
    async () => {
      await db.salts.initSalts({ bucketCount: 4, nowMs: NOW_MS - 30 * DAY_MS });
      const other = new pg.Client({ connectionString: engine.url });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query('SELECT 1 FROM salt_metadata FOR UPDATE');
        let settled = false;
        const rotation = db.salts.rotate({ fraction: 1, nowMs: NOW_MS }).finally(() => {
          settled = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(settled).toBe(false);
        await other.query('ROLLBACK');
        expect((await rotation).rotated).toBe(4);
      } finally {
        await other.end();
      }
    },
  );

  it('refuses a fraction outside 0..1, a bad time, missing salts and a damaged table', async () => {
    await expect(db.salts.rotate({ fraction: 0.1, nowMs: NOW_MS })).rejects.toMatchObject({
      code: 'ERR_DB_SALTS_MISSING',
    });
    await db.salts.initSalts({ bucketCount: 4, nowMs: NOW_MS - 30 * DAY_MS });
    for (const fraction of [-0.1, 1.5, Number.NaN]) {
      await expect(db.salts.rotate({ fraction, nowMs: NOW_MS })).rejects.toMatchObject({
        code: 'ERR_DB_INVALID_INPUT',
      });
    }
    await expect(db.salts.rotate({ fraction: 0.5, nowMs: -1 })).rejects.toMatchObject({
      code: 'ERR_DB_INVALID_INPUT',
    });
    await expect(db.salts.rotate({ fraction: 0.5, nowMs: NOW_MS, refreshFromMs: 1.5 })).rejects.toMatchObject(
      { code: 'ERR_DB_INVALID_INPUT' },
    );
    expect(await db.salts.rotate({ fraction: 0, nowMs: NOW_MS })).toEqual({
      rotated: 0,
      eligible: 4,
      bucketCount: 4,
    });
    await rawQuery(db, 'DELETE FROM salt_buckets WHERE idx = 2');
    await expect(db.salts.rotate({ fraction: 0.5, nowMs: NOW_MS })).rejects.toMatchObject({
      code: 'ERR_DB_SALTS_MISSING',
      message: 'the salt table has 3 of its 4 buckets',
    });
  });

  it('reports a stored bucket that has neither a salt nor key material, by index only', async () => {
    const [first] = await importMixed();
    await db.salts.applySaltRotation([{ ...first!, currentSalt: null }]);
    await expect(db.salts.rotate({ fraction: 0.5, nowMs: NOW_MS })).rejects.toMatchObject({
      code: 'ERR_DB_QUERY',
      message: 'salt bucket 0 stored in the database is unusable (ERR_SALT_INVALID_BUCKET)',
    });
  });
});
