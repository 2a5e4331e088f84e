import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminEngine, adminEngineNames, createAdminEngine } from '../test-support/admin-engines.js';
import { runJson, runUid2 } from '../test-support/run-cli.js';

// Admin commands against a real database: embedded PGlite in a temp directory, and PostgreSQL
// (a fresh uid2_cli_test_<random> database) when DATABASE_URL is set.

/** Committed migrations of the db package (a new database needs them all). */
const MIGRATIONS = readdirSync(new URL('../../../../packages/db/prisma/migrations', import.meta.url)).filter(
  (name) => /^\d{14}_/.test(name),
).length;

describe.each(adminEngineNames())('admin commands on %s', (engineName) => {
  let engine: AdminEngine;
  const run = (...args: string[]) => runUid2(args, { env: engine.env });
  const json = <T>(...args: string[]) => runJson<T>(args, { env: engine.env });

  beforeAll(async () => {
    engine = await createAdminEngine(engineName);
  }, 60_000);

  afterAll(async () => {
    await engine?.dispose();
  });

  it('migrates the database and reports its status', async () => {
    if (engineName === 'postgres') {
      const before = await run('site', 'list');
      expect(before).toMatchObject({
        code: 1,
        stderr: `uid2: the database needs ${MIGRATIONS} migration(s): run "uid2 db migrate" first\n`,
      });
    }
    const status = await json<{ engine: string; pending: string[] }>('db', 'status');
    expect(status.engine).toBe(engineName);
    const migrated = await run('db', 'migrate');
    expect(migrated.code).toBe(0);
    const after = await json<{ applied: { name: string }[]; pending: string[] }>('db', 'status');
    expect(after.pending).toEqual([]);
    expect(after.applied.length).toBeGreaterThan(0);
    expect((await run('db', 'migrate')).stdout).toBe('database schema is up to date\n');
    expect((await run('db', 'status')).stdout).toMatch(/up to date\n$/);
  });

  it('adds, lists, disables and enables sites', async () => {
    const site = await json<{ id: number; domainNames: string[] }>(
      'site',
      'add',
      '--id',
      '1000',
      '--name',
      'Publisher',
      '--domains',
      'Pub.example,b.example',
    );
    expect(site).toMatchObject({ id: 1000, domainNames: ['pub.example', 'b.example'] });
    const table = await run('site', 'list');
    expect(table.stdout).toMatch(
      /^ID +NAME +ENABLED +DOMAINS +APPS +CREATED\n1000 +Publisher +true +pub.example,b.example +- +\d{4}-/,
    );
    expect((await json<{ enabled: boolean }>('site', 'disable', '1000')).enabled).toBe(false);
    expect((await json<{ enabled: boolean }>('site', 'enable', '1000')).enabled).toBe(true);
    const duplicate = await run('site', 'add', '--id', '1000', '--name', 'Again');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/^uid2: ERR_DB_CONFLICT: /);
    expect((await run('site', 'add', '--id', 'x', '--name', 'n')).code).toBe(2);
  });

  it('creates an API key, shows its secret once and never lists it', async () => {
    const created = await run('client', 'add', '--site', '1000', '--roles', 'generator,MAPPER');
    expect(created.code).toBe(0);
    const apiKey = /^API key: +(\S+)$/m.exec(created.stdout)?.[1];
    const secret = /^secret: +(\S+)$/m.exec(created.stdout)?.[1];
    expect(apiKey).toMatch(/^UID2-C-L-1000-/);
    expect(Buffer.from(secret!, 'base64')).toHaveLength(32);
    expect(created.stderr).toMatch(/not shown again/);

    const listed = await run('client', 'list', '--site', '1000');
    expect(listed.stdout).toContain('GENERATOR,MAPPER');
    expect(listed.stdout).not.toContain(apiKey!);
    expect(listed.stdout).not.toContain(secret!);
    const keyId = (await json<{ keyId: string }[]>('client', 'list'))[0]!.keyId;
    expect((await json<{ disabled: boolean }>('client', 'disable', keyId)).disabled).toBe(true);
    expect((await json<{ disabled: boolean }>('client', 'enable', keyId)).disabled).toBe(false);
    const rotated = await json<{ secret: string }>('client', 'rotate-secret', keyId);
    expect(rotated.secret).not.toBe(secret);
    expect((await run('client', 'add', '--site', '1000', '--roles', 'KING')).stderr).toMatch(
      /unknown role KING/,
    );
    const euid = await json<{ apiKey: string }>(
      'client',
      'add',
      '--site',
      '1000',
      '--roles',
      'SHARER',
      '--scope',
      'euid',
      '--env',
      'TEST',
    );
    expect(euid.apiKey).toMatch(/^EUID-C-T-1000-/);
    expect((await run('client', 'add', '--site', '1000', '--roles', 'SHARER', '--env', 'moon')).code).toBe(2);
    expect((await run('client', 'add', '--site', '4242', '--roles', 'MAPPER')).stderr).toMatch(
      /^uid2: ERR_DB_NOT_FOUND/,
    );
  });

  it('creates keysets with a first key and rotates keys', async () => {
    const keyset = await json<{ keysetId: number; isDefault: boolean; firstKeyId: number }>(
      'keyset',
      'add',
      '--site',
      '1000',
      '--default',
      '--allowed-sites',
      'none',
    );
    expect(keyset).toMatchObject({ isDefault: true });
    expect(keyset.firstKeyId).toBeGreaterThan(0);
    await run('keyset', 'add', '--site', '-1', '--id', '-1', '--name', 'master');
    expect((await run('keyset', 'list')).stdout).toMatch(/master/);

    const rotated = await json<{ keysetId: number; activatesSeconds: number; createdSeconds: number }[]>(
      'key',
      'rotate',
      '--keyset',
      String(keyset.keysetId),
      '--master',
      '--lead-seconds',
      '600',
    );
    expect(rotated.map((k) => k.keysetId).sort()).toEqual([-1, keyset.keysetId].sort());
    expect(rotated.every((k) => k.activatesSeconds - k.createdSeconds === 600)).toBe(true);
    const keys = await run('key', 'list', '--keyset', String(keyset.keysetId));
    expect(keys.stdout).toMatch(/usable/);
    expect(keys.stdout).toMatch(/pending/);
    expect(keys.stdout).not.toMatch(/secret/i);
  });

  it('initializes salts once and reports their status without secrets', async () => {
    expect((await run('salts', 'status')).stderr).toBe(
      'uid2: salts are not initialized: run "uid2 salts init"\n',
    );
    expect((await run('salts', 'init', '--buckets', '32')).stdout).toBe('created 32 salt buckets\n');
    expect((await run('salts', 'init', '--buckets', '32')).stderr).toMatch(/^uid2: ERR_DB_SALTS_EXIST/);
    const status = await json<Record<string, unknown>>('salts', 'status', '--detail');
    expect(status).toMatchObject({ bucketCount: 32, buckets: 32, rotatedLastDay: 32, withPreviousSalt: 0 });
    expect(Object.keys(status)).not.toContain('firstLevelSalt');
  });

  it('rotates the share of salt buckets past their refresh time', async () => {
    // `salts init` promises every bucket stable until the UTC midnight after tomorrow.
    expect(await json('salts', 'rotate')).toEqual({ rotated: 0, eligible: 0, bucketCount: 32 });
    const later = { env: engine.env, now: () => Date.now() + 3 * 86_400_000 };
    const rotated = await runUid2(['salts', 'rotate'], later);
    expect(rotated.stdout).toMatch(/^rotated: +1\neligible: +32\nbuckets: +32\n$/);
    expect(await runJson(['salts', 'rotate', '--fraction', '1/4'], later)).toEqual({
      rotated: 8,
      eligible: 31,
      bucketCount: 32,
    });
    expect(await json('salts', 'status', '--detail')).toMatchObject({ withPreviousSalt: 9 });
    for (const fraction of ['0', '1.5', 'x', '1/0']) {
      expect(await run('salts', 'rotate', '--fraction', fraction)).toMatchObject({
        code: 2,
        stderr: 'uid2: --fraction must be a number with 0 < f <= 1\n',
      });
    }
  });

  it('adds a CSTG keypair and the allowed domains and apps to its site', async () => {
    const keypair = await json<{
      subscriptionId: string;
      publicKey: string;
      domainNames: string[];
      appNames: string[];
    }>(
      'cstg',
      'keypair',
      'add',
      '--site',
      '1000',
      '--domains',
      'c.example,PUB.example',
      '--apps',
      'com.example.app',
    );
    expect(keypair.publicKey).toMatch(/^UID2-X-L-MFkw/);
    expect(keypair.domainNames).toEqual(['pub.example', 'b.example', 'c.example']);
    expect(keypair.appNames).toEqual(['com.example.app']);
    expect((await run('cstg', 'keypair', 'list')).stdout).toContain(keypair.subscriptionId);
    expect(
      (await json<{ disabled: boolean }>('cstg', 'keypair', 'disable', keypair.subscriptionId)).disabled,
    ).toBe(true);
    expect((await run('cstg', 'keypair', 'add', '--site', '1000')).code).toBe(2);
  });

  it('records single opt-outs idempotently and refuses invalid identifiers', async () => {
    expect((await run('optout', 'add', '--email', 'user@example.com')).stdout).toBe('opt-out recorded\n');
    expect((await run('optout', 'add', '--email', 'USER@example.com ')).stdout).toBe(
      'already opted out (nothing changed)\n',
    );
    expect(
      await json('optout', 'add', '--phone-hash', 'EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4='),
    ).toEqual({ inserted: true });
    expect(await runUid2(['optout', 'add', '--phone', '555-1234'], { env: engine.env })).toMatchObject({
      code: 2,
      stderr: 'uid2: not a valid phone\n',
    });
  });
});
