import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from './hash-api-key.js';
import type { Database } from './open-database.js';
import { seedDevelopmentEnvironment } from './seed-development-environment.js';
import {
  createTestEngine,
  engineNames,
  NOW_MS,
  rawQuery,
  resetDatabase,
} from './test-support/test-database.js';
import type { TestEngine } from './test-support/test-database.js';

const NOW = NOW_MS / 1000;

describe.each(engineNames())('seedDevelopmentEnvironment on %s', (engineName) => {
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

  it('seeds a publisher, its credentials, the four keysets with one active key each, salts and a keypair', async () => {
    const seeded = await seedDevelopmentEnvironment(db, { nowMs: NOW_MS, bucketCount: 64 });
    expect(seeded).not.toBeNull();
    expect(seeded?.siteId).toBe(999);
    const snapshot = await db.loadSnapshot();
    expect(snapshot.sites).toEqual([
      {
        id: 999,
        name: 'Development publisher',
        enabled: true,
        domainNames: ['localhost'],
        appNames: ['com.uid2.devapp'],
        createdSeconds: NOW,
      },
    ]);
    const [apiKey] = snapshot.apiKeys;
    expect(apiKey?.keyHash).toBe(hashApiKey(seeded!.apiKey, apiKey!.keySalt));
    expect(apiKey?.secret.toString('base64')).toBe(seeded?.secret);
    expect(apiKey?.roles).toEqual(['GENERATOR', 'MAPPER', 'ID_READER', 'SHARER', 'OPTOUT']);
    expect(snapshot.keysets.map((k) => [k.keysetId, k.siteId, k.isDefault])).toEqual([
      [-2, -2, false],
      [-1, -1, false],
      [2, 2, true],
      [3, 999, true],
    ]);
    expect(snapshot.keys).toHaveLength(4);
    for (const key of snapshot.keys) {
      expect(key.activatesSeconds).toBe(NOW - 3600);
      expect(key.expiresSeconds).toBe(NOW + 365 * 86_400);
      expect(key.secret).toHaveLength(32);
    }
    expect(snapshot.saltMetadata?.bucketCount).toBe(64);
    expect(snapshot.keypairs.map((k) => [k.subscriptionId, k.publicKey])).toEqual([
      [seeded?.subscriptionId, seeded?.publicKey],
    ]);
  });

  it('returns null when run again and changes nothing', async () => {
    await seedDevelopmentEnvironment(db, { nowMs: NOW_MS, bucketCount: 8, siteId: 1234 });
    const before = await rawQuery(db, 'SELECT count(*)::int AS n FROM change_log');
    expect(
      await seedDevelopmentEnvironment(db, { nowMs: NOW_MS + 1000, bucketCount: 8, siteId: 1234 }),
    ).toBeNull();
    expect(await rawQuery(db, 'SELECT count(*)::int AS n FROM change_log')).toEqual(before);
  });

  it('resumes after a crash between the salts and the rest', async () => {
    await seedDevelopmentEnvironment(db, { nowMs: NOW_MS, bucketCount: 8 });
    // Simulate a crash after the salt transaction: only the salts and their marker remain.
    await rawQuery(db, `DELETE FROM client_keypairs`);
    await rawQuery(db, `DELETE FROM api_keys`);
    await rawQuery(db, `DELETE FROM encryption_keys`);
    await rawQuery(db, `DELETE FROM keysets`);
    await rawQuery(db, `DELETE FROM sites`);
    await rawQuery(db, `DELETE FROM db_meta WHERE key = 'seed:complete'`);
    const salts = await db.salts.metadata();
    const seeded = await seedDevelopmentEnvironment(db, { nowMs: NOW_MS, bucketCount: 8 });
    expect(seeded?.siteId).toBe(999);
    expect(await db.salts.metadata()).toEqual(salts);
  });

  it('refuses to seed over salts or reserved keysets it did not create', async () => {
    await db.salts.initSalts({ bucketCount: 4, nowMs: NOW_MS });
    await expect(seedDevelopmentEnvironment(db, { nowMs: NOW_MS, bucketCount: 4 })).rejects.toMatchObject({
      code: 'ERR_DB_SEED_CONFLICT',
    });
    await resetDatabase(db);
    await db.keysets.create({ keysetId: -1, siteId: -1, nowMs: NOW_MS });
    await expect(seedDevelopmentEnvironment(db, { nowMs: NOW_MS, bucketCount: 4 })).rejects.toMatchObject({
      code: 'ERR_DB_SEED_CONFLICT',
    });
    expect(await db.sites.list()).toEqual([]);
  });

  it('keeps every secret out of the stored rows', async () => {
    const seeded = await seedDevelopmentEnvironment(db, { nowMs: NOW_MS, bucketCount: 16 });
    const snapshot = await db.loadSnapshot();
    const tables = [
      'api_keys',
      'encryption_keys',
      'client_keypairs',
      'salt_metadata',
      'salt_buckets',
      'db_meta',
      'sites',
      'keysets',
    ];
    const rows = await Promise.all(tables.map((table) => rawQuery(db, `SELECT * FROM ${table}`)));
    const dump = JSON.stringify(rows, (_key, value: unknown) =>
      Buffer.isBuffer(value)
        ? `${value.toString('hex')} ${value.toString('base64')} ${value.toString('latin1')}`
        : value,
    );
    const secrets = [
      seeded!.apiKey,
      seeded!.apiKey.slice(13),
      seeded!.secret,
      snapshot.saltMetadata!.firstLevelSalt,
      snapshot.saltMetadata!.idSecret,
      snapshot.keypairs[0]!.privateKey.slice(9),
      ...snapshot.keys.flatMap((key) => [key.secret.toString('base64'), key.secret.toString('hex')]),
    ];
    for (const secret of secrets) expect(dump).not.toContain(secret);
    for await (const batch of db.salts.streamBuckets()) {
      for (const bucket of batch) expect(dump).not.toContain(bucket.currentSalt!);
    }
  });
});
