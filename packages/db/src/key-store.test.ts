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

const NOW = NOW_MS / 1000;

describe.each(engineNames())('KeyStore on %s', (engineName) => {
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
  beforeEach(async () => {
    await resetDatabase(db);
    await db.keysets.create({ keysetId: -1, siteId: -1, nowMs: NOW_MS });
    await db.keysets.create({ keysetId: 3, siteId: 999, isDefault: true, nowMs: NOW_MS });
  });

  it('adds keys with consecutive ids and keeps their secrets encrypted', async () => {
    const secret = Buffer.alloc(32, 0x5a);
    const first = await db.keys.add({ keysetId: -1, nowMs: NOW_MS, expiresSeconds: NOW + 100, secret });
    const second = await db.keys.add({
      keysetId: 3,
      nowMs: NOW_MS,
      activatesSeconds: NOW + 10,
      expiresSeconds: NOW + 100,
    });
    expect(first).toEqual({
      id: 1,
      keysetId: -1,
      createdSeconds: NOW,
      activatesSeconds: NOW,
      expiresSeconds: NOW + 100,
    });
    expect(second.id).toBe(2);
    const { keys } = await db.loadSnapshot();
    expect(keys.find((key) => key.id === 1)?.secret).toEqual(secret);
    const raw = await rawQuery<{ secret_enc: Buffer }>(
      db,
      'SELECT secret_enc FROM encryption_keys WHERE id = 1',
    );
    expect(raw[0]?.secret_enc.includes(secret)).toBe(false);
    expect((await db.keys.list({ keysetId: 3 })).map((key) => key.id)).toEqual([2]);
  });

  it('rejects a key for an unknown keyset, a taken id, a bad secret and an expiry before activation', async () => {
    await expect(db.keys.add({ keysetId: 77, nowMs: NOW_MS, expiresSeconds: NOW + 1 })).rejects.toMatchObject(
      { code: 'ERR_DB_NOT_FOUND' },
    );
    await db.keys.add({ id: 5, keysetId: 3, nowMs: NOW_MS, expiresSeconds: NOW + 1 });
    await expect(
      db.keys.add({ id: 5, keysetId: 3, nowMs: NOW_MS, expiresSeconds: NOW + 1 }),
    ).rejects.toMatchObject({ code: 'ERR_DB_CONFLICT' });
    await expect(
      db.keys.add({ keysetId: 3, nowMs: NOW_MS, expiresSeconds: NOW + 1, secret: Buffer.alloc(16) }),
    ).rejects.toMatchObject({
      code: 'ERR_DB_INVALID_INPUT',
    });
    await expect(db.keys.add({ keysetId: 3, nowMs: NOW_MS, expiresSeconds: NOW })).rejects.toMatchObject({
      code: 'ERR_DB_INVALID_INPUT',
    });
  });

  it('rotates: a new key per keyset activating after the lead time, old keys retired after the token lifetime', async () => {
    await db.keys.add({
      keysetId: -1,
      nowMs: NOW_MS,
      activatesSeconds: NOW - 3600,
      expiresSeconds: NOW + 365 * 86_400,
    });
    await db.keys.add({ keysetId: 3, nowMs: NOW_MS, activatesSeconds: NOW - 3600, expiresSeconds: NOW + 60 });
    const created = await db.keys.rotateKeys({
      nowMs: NOW_MS,
      activationLeadSeconds: 600,
      keyLifetimeSeconds: 1000,
      maxTokenLifetimeSeconds: 300,
    });
    expect(created).toEqual([
      { id: 3, keysetId: -1, createdSeconds: NOW, activatesSeconds: NOW + 600, expiresSeconds: NOW + 1600 },
      { id: 4, keysetId: 3, createdSeconds: NOW, activatesSeconds: NOW + 600, expiresSeconds: NOW + 1600 },
    ]);
    const keys = await db.keys.list();
    expect(keys.find((key) => key.id === 1)?.expiresSeconds).toBe(NOW + 900);
    expect(keys.find((key) => key.id === 2)?.expiresSeconds).toBe(NOW + 60);
  });

  it('rotates only the named keysets and refuses unknown ones', async () => {
    expect((await db.keys.rotateKeys({ nowMs: NOW_MS, keysetIds: [3] })).map((key) => key.keysetId)).toEqual([
      3,
    ]);
    await expect(db.keys.rotateKeys({ nowMs: NOW_MS, keysetIds: [3, 99] })).rejects.toMatchObject({
      code: 'ERR_DB_NOT_FOUND',
    });
    expect(await db.keys.list()).toHaveLength(1);
  });
});
