import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './open-database.js';
import { createTestEngine, engineNames, NOW_MS, rawQuery } from './test-support/test-database.js';
import type { TestEngine } from './test-support/test-database.js';

describe.each(engineNames())('loadSnapshot on %s', (engineName) => {
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

  it('is empty on a new database, with a zero cursor and no salts', async () => {
    expect(await db.loadSnapshot()).toEqual({
      sites: [],
      apiKeys: [],
      keysets: [],
      keys: [],
      saltMetadata: null,
      keypairs: [],
      changeCursor: 0,
    });
  });

  it('returns every entity decrypted, in id order, and a cursor past the writes it reflects', async () => {
    await db.sites.create({ id: 5, name: 'five', nowMs: NOW_MS });
    await db.keysets.create({ keysetId: 3, siteId: 5, allowedSites: [7], isDefault: true, nowMs: NOW_MS });
    await db.keys.add({
      keysetId: 3,
      nowMs: NOW_MS,
      expiresSeconds: NOW_MS / 1000 + 10,
      secret: Buffer.alloc(32, 9),
    });
    await db.keypairs.addKeypair({ siteId: 5, nowMs: NOW_MS });
    await db.apiKeys.create({ siteId: 5, name: 'k', roles: ['ID_READER'], nowMs: NOW_MS });
    const snapshot = await db.loadSnapshot();
    expect(snapshot.keysets[0]).toMatchObject({ keysetId: 3, allowedSites: [7], isDefault: true });
    expect(snapshot.keys[0]).toMatchObject({ id: 1, keysetId: 3, secret: Buffer.alloc(32, 9) });
    expect(snapshot.keypairs[0]?.privateKey).toMatch(/^UID2-Y-L-/);
    expect(snapshot.apiKeys[0]?.roles).toEqual(['ID_READER']);
    expect(snapshot.changeCursor).toBe(5);
    expect((await db.changes.readSince(snapshot.changeCursor)).entries).toEqual([]);
  });

  it('reports a tampered secret as a decryption error naming the row', async () => {
    await rawQuery(
      db,
      `UPDATE encryption_keys SET secret_enc = (SELECT secret_enc FROM encryption_keys LIMIT 1), id = 2 WHERE id = 1`,
    );
    await expect(db.loadSnapshot()).rejects.toMatchObject({ code: 'ERR_DB_DECRYPT', detail: '2' });
  });
});
