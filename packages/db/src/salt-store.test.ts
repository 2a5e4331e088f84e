import { createBucketIdEncoder, planRotation } from '@uid2-operator/salt-buckets';
import type { SaltBucket } from '@uid2-operator/salt-buckets';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './open-database.js';
import {
  createTestEngine,
  engineNames,
  NOW_MS,
  openTemplatePGlite,
  rawQuery,
  resetDatabase,
} from './test-support/test-database.js';
import type { TestEngine } from './test-support/test-database.js';

async function allBuckets(db: Database, batchSize?: number): Promise<SaltBucket[]> {
  const out: SaltBucket[] = [];
  for await (const batch of db.salts.streamBuckets(batchSize)) out.push(...batch);
  return out;
}

describe.each(engineNames())('SaltStore on %s', (engineName) => {
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

  it('initializes metadata and buckets with random salts and hashids bucket ids', async () => {
    expect(await db.salts.metadata()).toBeUndefined();
    const meta = await db.salts.initSalts({ bucketCount: 1000, nowMs: NOW_MS, idPrefix: 'b' });
    expect(meta).toMatchObject({ idPrefix: 'b', bucketCount: 1000, createdSeconds: NOW_MS / 1000 });
    expect(Buffer.from(meta.firstLevelSalt, 'base64')).toHaveLength(32);
    expect(await db.salts.metadata()).toEqual(meta);
    const { entries } = await db.changes.readSince(0);
    expect(entries.map((entry) => [entry.entity, entry.entityKey, entry.op])).toEqual([
      ['salt', 'metadata', 'insert'],
      ['salt', null, 'insert'],
    ]);

    const buckets = await allBuckets(db, 300);
    const encode = createBucketIdEncoder('b', meta.idSecret);
    expect(buckets.map((bucket) => bucket.index)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(buckets[7]).toEqual({
      index: 7,
      bucketId: encode(7),
      lastUpdatedMs: NOW_MS,
      refreshFromMs: NOW_MS + 2 * 86_400_000,
      currentSalt: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      previousSalt: null,
      currentKey: null,
      previousKey: null,
    });
    expect(new Set(buckets.map((bucket) => bucket.currentSalt)).size).toBe(1000);
  });

  it('refuses to initialize twice and to rotate before initializing', async () => {
    await expect(db.salts.applySaltRotation([{ index: 0 } as SaltBucket])).rejects.toMatchObject({
      code: 'ERR_DB_SALTS_MISSING',
    });
    await db.salts.initSalts({ bucketCount: 4, nowMs: NOW_MS });
    await expect(db.salts.initSalts({ bucketCount: 4, nowMs: NOW_MS })).rejects.toMatchObject({
      code: 'ERR_DB_SALTS_EXIST',
    });
    await expect(db.salts.initSalts({ bucketCount: 0, nowMs: NOW_MS })).rejects.toMatchObject({
      code: 'ERR_DB_INVALID_INPUT',
    });
  });

  it('applies a planned rotation, including key material, and logs one change', async () => {
    await db.salts.initSalts({ bucketCount: 50, nowMs: NOW_MS });
    const before = await allBuckets(db);
    const later = NOW_MS + 3 * 86_400_000;
    let n = 0;
    const rotated = planRotation({
      buckets: before,
      fraction: 0.1,
      nowMs: later,
      randomSalt: () => `salt-${n++}`,
      randomKeyMaterial: () => ({
        id: 2_000_000 + n,
        key: `key12345key12345key12345key1234${n % 10}`,
        salt: `s-${n++}`,
      }),
    });
    expect(rotated).toHaveLength(5);
    const cursor = await db.changes.currentCursor();
    expect(await db.salts.applySaltRotation(rotated)).toBe(5);
    const after = await allBuckets(db, 7);
    for (const bucket of rotated) expect(after[bucket.index]).toEqual(bucket);
    expect(after[rotated[0]!.index]?.previousSalt).toBe(before[rotated[0]!.index]?.currentSalt);
    const untouched = after.filter((bucket) => !rotated.some((r) => r.index === bucket.index));
    expect(untouched).toEqual(before.filter((bucket) => !rotated.some((r) => r.index === bucket.index)));
    const { entries } = await db.changes.readSince(cursor);
    expect(entries.map((entry) => [entry.entity, entry.entityKey, entry.op])).toEqual([
      ['salt', null, 'update'],
    ]);
    expect(await db.salts.changedBuckets(entries[0]!.id)).toEqual(rotated);
    const [again] = rotated;
    await db.salts.applySaltRotation([{ ...again!, currentSalt: 'newer' }]);
    const { entries: laterEntries } = await db.changes.readSince(entries[0]!.id);
    expect(laterEntries.map((entry) => [entry.entityKey, entry.op])).toEqual([
      [String(again!.index), 'update'],
    ]);
    expect((await db.salts.changedBuckets(entries[0]!.id)).map((b) => b.index)).toEqual(
      rotated.slice(1).map((b) => b.index),
    );
    expect(await db.salts.changedBuckets(laterEntries[0]!.id)).toEqual([{ ...again!, currentSalt: 'newer' }]);
  });

  it('rejects a rotated bucket outside the table', async () => {
    await db.salts.initSalts({ bucketCount: 3, nowMs: NOW_MS });
    const [bucket] = await allBuckets(db);
    await expect(db.salts.applySaltRotation([{ ...bucket!, index: 3 }])).rejects.toMatchObject({
      code: 'ERR_DB_INVALID_INPUT',
    });
    expect(await db.salts.applySaltRotation([])).toBe(0);
  });

  it('stores no salt, key or id secret in plaintext', async () => {
    const meta = await db.salts.initSalts({ bucketCount: 20, nowMs: NOW_MS });
    const [first] = await allBuckets(db);
    await db.salts.applySaltRotation([
      { ...first!, currentKey: { id: 9, key: 'key12345key12345key12345key12349', salt: 'keysalt-secret' } },
    ]);
    const rows = await rawQuery<Record<string, unknown>>(db, 'SELECT * FROM salt_buckets');
    const metaRows = await rawQuery<Record<string, unknown>>(db, 'SELECT * FROM salt_metadata');
    const dump = JSON.stringify([rows, metaRows], (_key, value: unknown) =>
      Buffer.isBuffer(value) ? value.toString('latin1') + value.toString('base64') : value,
    );
    for (const secret of [
      meta.firstLevelSalt,
      meta.idSecret,
      first!.currentSalt!,
      'key12345key12345',
      'keysalt-secret',
    ]) {
      expect(dump).not.toContain(secret);
    }
  });

  it('streams buckets in index order, unchanged, after updates moved their rows out of it', async () => {
    await db.salts.initSalts({ bucketCount: 40, nowMs: NOW_MS });
    const before = await allBuckets(db, 16);
    // A no-op update writes a new row version at the end of the table: heap order is now odd, even.
    await rawQuery(db, 'UPDATE salt_buckets SET last_updated_ms = last_updated_ms WHERE idx % 2 = 0');
    const heap = await rawQuery<{ idx: number }>(db, 'SELECT idx FROM salt_buckets');
    expect(heap.map((row) => row.idx)).not.toEqual(before.map((bucket) => bucket.index));
    expect(await allBuckets(db, 16)).toEqual(before);
    expect(before.map((bucket) => bucket.index)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('imports a salt table with key material and streams it back unchanged', async () => {
    const encode = createBucketIdEncoder('p,x', 'secret');
    const buckets: SaltBucket[] = [0, 1, 2].map((index) => ({
      index,
      bucketId: encode(index),
      lastUpdatedMs: 1_700_000_000_000 + index,
      refreshFromMs: 1_800_000_000_000 + index,
      currentSalt: index === 2 ? null : `salt${index}`,
      previousSalt: index === 0 ? 'older' : null,
      currentKey:
        index === 2 ? { id: 2_100_002, key: 'key12345key12345key12345key12340', salt: 'salt1234' } : null,
      previousKey: index === 2 ? { id: 2_000_002, key: 'key12345key12345key12345key12345', salt: '' } : null,
    }));
    await db.salts.importSalts({
      firstLevelSalt: 'fls',
      idPrefix: 'p,x',
      idSecret: 'secret',
      buckets,
      nowMs: NOW_MS,
    });
    expect(await allBuckets(db, 2)).toEqual(buckets);
    await expect(
      db.salts.importSalts({
        firstLevelSalt: 'f',
        idPrefix: '',
        idSecret: 's',
        buckets: [{ ...buckets[1]! }],
        nowMs: NOW_MS,
      }),
    ).rejects.toMatchObject({ code: 'ERR_DB_INVALID_INPUT' });
  });
});

// One 1,048,576-bucket round trip when UID2_DB_TEST_FULL=1 (slow on a busy 2-core box: see
// `npm run bench` for timings); otherwise just over one stream batch, to cover batch boundaries.
const FULL_SIZE = process.env.UID2_DB_TEST_FULL === '1';
const LARGE_COUNT = FULL_SIZE ? 1_048_576 : 65_537;

describe(`SaltStore with ${LARGE_COUNT} buckets on PGlite`, () => {
  it('writes and streams back every bucket in index order', async () => {
    const db = await openTemplatePGlite();
    try {
      await db.salts.initSalts({ bucketCount: LARGE_COUNT, nowMs: NOW_MS });
      let count = 0;
      let expected = 0;
      for await (const batch of db.salts.streamBuckets()) {
        for (const bucket of batch) {
          if (bucket.index !== expected++ || bucket.currentSalt === null)
            throw new Error(`bad bucket ${bucket.index}`);
        }
        count += batch.length;
      }
      expect(count).toBe(LARGE_COUNT);
      expect((await db.salts.metadata())?.bucketCount).toBe(LARGE_COUNT);
    } finally {
      await db.close();
    }
  }, 300_000);
});
