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

describe.each(engineNames())('SiteStore on %s', (engineName) => {
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

  it('creates a site with normalized domain names and reads it back', async () => {
    const site = await db.sites.create({
      id: 999,
      name: ' Publisher ',
      domainNames: ['Example.COM', 'example.com', 'localhost'],
      appNames: ['com.example.App'],
      nowMs: NOW_MS + 1500,
    });
    expect(site).toEqual({
      id: 999,
      name: 'Publisher',
      enabled: true,
      domainNames: ['example.com', 'localhost'],
      appNames: ['com.example.App'],
      createdSeconds: NOW_MS / 1000 + 1,
    });
    expect(await db.sites.get(999)).toEqual(site);
    expect(await db.sites.get(1000)).toBeUndefined();
  });

  it('lists sites by id', async () => {
    await db.sites.create({ id: 20, name: 'b', nowMs: NOW_MS });
    await db.sites.create({ id: 10, name: 'a', nowMs: NOW_MS });
    expect((await db.sites.list()).map((site) => site.id)).toEqual([10, 20]);
  });

  it('disables, enables and updates a site', async () => {
    await db.sites.create({ id: 30, name: 'c', nowMs: NOW_MS });
    expect((await db.sites.disable(30)).enabled).toBe(false);
    expect((await db.sites.enable(30)).enabled).toBe(true);
    const updated = await db.sites.update(30, { name: 'renamed', domainNames: ['A.example'], appNames: [] });
    expect(updated).toMatchObject({ name: 'renamed', domainNames: ['a.example'], appNames: [] });
  });

  it('rejects a duplicate id, a reserved id and an unknown site', async () => {
    await db.sites.create({ id: 40, name: 'd', nowMs: NOW_MS });
    await expect(db.sites.create({ id: 40, name: 'again', nowMs: NOW_MS })).rejects.toMatchObject({
      code: 'ERR_DB_CONFLICT',
    });
    await expect(db.sites.create({ id: 2, name: 'reserved', nowMs: NOW_MS })).rejects.toMatchObject({
      code: 'ERR_DB_INVALID_INPUT',
    });
    await expect(db.sites.create({ id: 41, name: '', nowMs: NOW_MS })).rejects.toMatchObject({
      code: 'ERR_DB_INVALID_INPUT',
    });
    await expect(db.sites.disable(12345)).rejects.toMatchObject({ code: 'ERR_DB_NOT_FOUND' });
  });

  it('logs one change per write statement', async () => {
    await db.sites.create({ id: 50, name: 'e', nowMs: NOW_MS });
    await db.sites.disable(50);
    const rows = await rawQuery<{ entity: string; entity_key: string; op: string }>(
      db,
      'SELECT entity, entity_key, op FROM change_log ORDER BY id',
    );
    expect(rows).toEqual([
      { entity: 'site', entity_key: '50', op: 'insert' },
      { entity: 'site', entity_key: '50', op: 'update' },
    ]);
  });
});
