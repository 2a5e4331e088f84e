import { createPrivateKey, createPublicKey } from 'node:crypto';
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

describe.each(engineNames())('KeypairStore on %s', (engineName) => {
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
    await db.sites.create({ id: 123, name: 'cstg', domainNames: ['example.com'], nowMs: NOW_MS });
  });

  it('generates a P-256 keypair with prefixed SPKI / PKCS#8 keys and a 10-character subscription id', async () => {
    const info = await db.keypairs.addKeypair({ siteId: 123, name: 'web', nowMs: NOW_MS });
    expect(info.subscriptionId).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(info.publicKey.startsWith('UID2-X-L-')).toBe(true);
    const publicKey = createPublicKey({
      key: Buffer.from(info.publicKey.slice(9), 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const [record] = (await db.loadSnapshot()).keypairs;
    expect(record?.privateKey.startsWith('UID2-Y-L-')).toBe(true);
    const privateKey = createPrivateKey({
      key: Buffer.from(record?.privateKey.slice(9) ?? '', 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    expect(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64')).toBe(
      info.publicKey.slice(9),
    );
    const raw = JSON.stringify(await rawQuery(db, 'SELECT * FROM client_keypairs'));
    expect(raw).not.toContain(record?.privateKey.slice(9, 60));
  });

  it('imports, lists, disables and enables keypairs', async () => {
    const imported = await db.keypairs.importKeypair({
      subscriptionId: '4WvryDGbR5',
      siteId: 123,
      publicKey:
        'UID2-X-L-MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtXJdTSZAYHvoRDWiehMHoWF1BNPuqLs5w2ZHiAZ1IJc7O4/z0ojPTB0V+KYX/wxQK0hxx6kxCvHj335eI/ZQsQ==',
      privateKey:
        'UID2-Y-L-MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCC5kOSRVD+qhAZqf0L4LGbmAhdy5HpIptwXE72jxhwo6w==',
      nowMs: NOW_MS,
    });
    expect(imported.subscriptionId).toBe('4WvryDGbR5');
    await db.keypairs.addKeypair({ siteId: 123, environment: 'prod', scope: 'EUID', nowMs: NOW_MS });
    expect(await db.keypairs.list({ siteId: 123 })).toHaveLength(2);
    expect((await db.keypairs.disable('4WvryDGbR5')).disabled).toBe(true);
    expect((await db.keypairs.enable('4WvryDGbR5')).disabled).toBe(false);
    expect((await db.keypairs.list()).some((pair) => pair.publicKey.startsWith('EUID-X-P-'))).toBe(true);
  });

  it('rejects an unknown site, a malformed key and an unknown subscription', async () => {
    await expect(db.keypairs.addKeypair({ siteId: 555, nowMs: NOW_MS })).rejects.toMatchObject({
      code: 'ERR_DB_NOT_FOUND',
    });
    await expect(
      db.keypairs.importKeypair({
        subscriptionId: 'x',
        siteId: 123,
        publicKey: 'nope',
        privateKey: 'UID2-Y-L-AAAA',
        nowMs: NOW_MS,
      }),
    ).rejects.toMatchObject({ code: 'ERR_DB_INVALID_INPUT' });
    await expect(db.keypairs.disable('unknown')).rejects.toMatchObject({ code: 'ERR_DB_NOT_FOUND' });
  });
});
