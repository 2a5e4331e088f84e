import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './open-database.js';
import { createTestEngine, engineNames, NOW_MS, resetDatabase } from './test-support/test-database.js';
import type { TestEngine } from './test-support/test-database.js';

describe.each(engineNames())('KeysetStore on %s', (engineName) => {
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

  it('keeps a NULL allowed-sites list apart from an empty one', async () => {
    const open = await db.keysets.create({ keysetId: -1, siteId: -1, name: 'master', nowMs: NOW_MS });
    const closed = await db.keysets.create({ keysetId: 10, siteId: 999, allowedSites: [], nowMs: NOW_MS });
    expect(open).toEqual({
      keysetId: -1,
      siteId: -1,
      allowedSites: null,
      enabled: true,
      isDefault: false,
      name: 'master',
      createdSeconds: NOW_MS / 1000,
    });
    expect(closed.allowedSites).toEqual([]);
    expect((await db.keysets.get(-1))?.allowedSites).toBeNull();
    expect((await db.keysets.get(10))?.allowedSites).toEqual([]);
  });

  it('allocates ids from 3 upwards when none is given', async () => {
    expect((await db.keysets.create({ siteId: 5, nowMs: NOW_MS })).keysetId).toBe(3);
    expect((await db.keysets.create({ siteId: 6, nowMs: NOW_MS })).keysetId).toBe(4);
    await db.keysets.create({ keysetId: 40, siteId: 7, nowMs: NOW_MS });
    expect((await db.keysets.create({ siteId: 8, nowMs: NOW_MS })).keysetId).toBe(41);
  });

  it('updates allowed sites (sorted, distinct), name, default and enabled flags', async () => {
    await db.keysets.create({ keysetId: 3, siteId: 999, nowMs: NOW_MS });
    const updated = await db.keysets.update(3, {
      allowedSites: [7, 5, 7],
      name: 'shared',
      isDefault: true,
      enabled: false,
    });
    expect(updated).toMatchObject({ allowedSites: [5, 7], name: 'shared', isDefault: true, enabled: false });
    expect((await db.keysets.update(3, { allowedSites: null })).allowedSites).toBeNull();
    expect((await db.keysets.update(3, {})).name).toBe('shared');
    expect((await db.keysets.list()).map((keyset) => keyset.keysetId)).toEqual([3]);
  });

  it('refuses a second enabled default keyset for a site, a duplicate id and an unknown keyset', async () => {
    await db.keysets.create({ keysetId: 3, siteId: 999, isDefault: true, nowMs: NOW_MS });
    await expect(
      db.keysets.create({ keysetId: 4, siteId: 999, isDefault: true, nowMs: NOW_MS }),
    ).rejects.toMatchObject({
      code: 'ERR_DB_CONFLICT',
    });
    await expect(db.keysets.create({ keysetId: 3, siteId: 1, nowMs: NOW_MS })).rejects.toMatchObject({
      code: 'ERR_DB_CONFLICT',
    });
    await expect(db.keysets.update(77, { enabled: false })).rejects.toMatchObject({
      code: 'ERR_DB_NOT_FOUND',
    });
    await expect(
      db.keysets.create({ siteId: 1, allowedSites: 'all' as never, nowMs: NOW_MS }),
    ).rejects.toMatchObject({
      code: 'ERR_DB_INVALID_INPUT',
    });
    expect(await db.keysets.get(4)).toBeUndefined();
  });
});
