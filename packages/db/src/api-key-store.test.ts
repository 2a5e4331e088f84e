import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from './hash-api-key.js';
import type { Database } from './open-database.js';
import {
  createTestEngine,
  engineNames,
  NOW_MS,
  rawQuery,
  resetDatabase,
} from './test-support/test-database.js';
import type { TestEngine } from './test-support/test-database.js';

const KEY_FORMAT = /^(?:UID2|EUID)-[CO]-[LTIP]-([0-9]+)-.{6}\..{38}$/;

describe.each(engineNames())('ApiKeyStore on %s', (engineName) => {
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
    await db.sites.create({ id: 999, name: 'publisher', nowMs: NOW_MS });
  });

  it('creates a key in the reference format and returns the key and secret once', async () => {
    const created = await db.apiKeys.create({
      siteId: 999,
      name: 'web',
      roles: ['GENERATOR', 'MAPPER'],
      nowMs: NOW_MS,
    });
    expect(created.key).toMatch(KEY_FORMAT);
    expect(KEY_FORMAT.exec(created.key)?.[1]).toBe('999');
    expect(Buffer.from(created.key.slice(13).replace('.', ''), 'base64')).toHaveLength(32);
    expect(created.info.keyId).toBe(created.key.slice(0, 18));
    expect(Buffer.from(created.secret, 'base64')).toHaveLength(32);
    expect(created.info).toMatchObject({
      siteId: 999,
      name: 'web',
      roles: ['GENERATOR', 'MAPPER'],
      disabled: false,
      serviceId: 0,
    });

    const [row] = await rawQuery<{ key_hash: string; key_salt: string }>(
      db,
      'SELECT key_hash, key_salt FROM api_keys',
    );
    expect(row?.key_hash).toBe(hashApiKey(created.key, row?.key_salt ?? ''));
  });

  it('lets the snapshot authenticate the key with its hash and decrypt its secret', async () => {
    const created = await db.apiKeys.create({ siteId: 999, name: 'web', roles: ['SHARER'], nowMs: NOW_MS });
    const { apiKeys } = await db.loadSnapshot();
    expect(apiKeys).toHaveLength(1);
    expect(apiKeys[0]?.keyHash).toBe(hashApiKey(created.key, apiKeys[0]?.keySalt ?? ''));
    expect(apiKeys[0]?.secret.toString('base64')).toBe(created.secret);
  });

  it('imports the spec test client and matches its hash', async () => {
    await db.apiKeys.import({
      keyId: 'UID2-C-L-999-fCXrM',
      keyHash: 'FIUDeEqA+O2hW7PXdAJI/NAnJleHX+6QU46avhal5Wy4th0ZEKvG5eoFk8CFvqxGkMFlHwGG+DWTU+ZdwiHdQg==',
      keySalt: 'RvCHAXUo/1pR3Nun5HuzcRJvlC7vT6gZMmsGPzyOONA=',
      secret: 'DzBzbjTJcYL0swDtFs2krRNu+g1Eokm2tBU4dEuD0Wk=',
      siteId: 999,
      name: 'reference test client',
      roles: ['GENERATOR'],
      nowMs: NOW_MS,
    });
    const [record] = (await db.loadSnapshot()).apiKeys;
    expect(
      hashApiKey('UID2-C-L-999-fCXrMM.fsR3mDqAXELtWWMS+xG1s7RdgRTMqdOH2qaAo=', record?.keySalt ?? ''),
    ).toBe(record?.keyHash);
  });

  it('lists, disables, enables and rotates the secret', async () => {
    const a = await db.apiKeys.create({ siteId: 999, name: 'a', roles: ['MAPPER'], nowMs: NOW_MS });
    await db.sites.create({ id: 1000, name: 'other', nowMs: NOW_MS });
    await db.apiKeys.create({
      siteId: 1000,
      name: 'b',
      roles: ['MAPPER'],
      environment: 'prod',
      scope: 'EUID',
      nowMs: NOW_MS,
    });
    expect(await db.apiKeys.list()).toHaveLength(2);
    expect((await db.apiKeys.list({ siteId: 1000 }))[0]?.keyId).toMatch(/^EUID-C-P-1000-/);
    expect((await db.apiKeys.disable(a.info.keyId)).disabled).toBe(true);
    expect((await db.apiKeys.enable(a.info.keyId)).disabled).toBe(false);
    const secret = await db.apiKeys.rotateSecret(a.info.keyId);
    expect(secret).not.toBe(a.secret);
    const record = (await db.loadSnapshot()).apiKeys.find((key) => key.keyId === a.info.keyId);
    expect(record?.secret.toString('base64')).toBe(secret);
  });

  it('rejects unknown roles, an unknown site and unknown key ids', async () => {
    await expect(
      db.apiKeys.create({ siteId: 999, name: 'x', roles: ['ROOT' as never], nowMs: NOW_MS }),
    ).rejects.toMatchObject({
      code: 'ERR_DB_INVALID_INPUT',
    });
    await expect(
      db.apiKeys.create({ siteId: 999, name: 'x', roles: [], nowMs: NOW_MS }),
    ).rejects.toMatchObject({
      code: 'ERR_DB_INVALID_INPUT',
    });
    await expect(
      db.apiKeys.create({ siteId: 4242, name: 'x', roles: ['MAPPER'], nowMs: NOW_MS }),
    ).rejects.toMatchObject({
      code: 'ERR_DB_NOT_FOUND',
    });
    await expect(db.apiKeys.disable('UID2-C-L-999-nope0')).rejects.toMatchObject({
      code: 'ERR_DB_NOT_FOUND',
    });
    await expect(db.apiKeys.rotateSecret('UID2-C-L-999-nope0')).rejects.toMatchObject({
      code: 'ERR_DB_NOT_FOUND',
    });
  });

  it('stores neither the key nor the secret in plaintext', async () => {
    const created = await db.apiKeys.create({
      siteId: 999,
      name: 'web',
      roles: ['GENERATOR'],
      nowMs: NOW_MS,
    });
    const rows = await rawQuery<Record<string, unknown>>(db, 'SELECT * FROM api_keys');
    const dump = JSON.stringify(rows, (_key, value: unknown) =>
      Buffer.isBuffer(value)
        ? value.toString('base64') + value.toString('hex') + value.toString('latin1')
        : value,
    );
    const secretBytes = Buffer.from(created.secret, 'base64');
    expect(dump).not.toContain(created.key);
    expect(dump).not.toContain(created.key.slice(13));
    expect(dump).not.toContain(created.secret);
    expect(dump).not.toContain(secretBytes.toString('hex'));
  });
});
