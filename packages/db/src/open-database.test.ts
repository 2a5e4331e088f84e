import { cp, mkdir, mkdtemp, readdir, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbError } from './db-error.js';
import { openDatabase } from './open-database.js';
import { createTestEngine, NOW_MS, POSTGRES_URL, rawQuery, TEST_KEK } from './test-support/test-database.js';

const OTHER_KEK = Buffer.alloc(32, 8);
const MISMATCH = 'UID2_KEK does not match the key-encryption key this database was created with';

async function failure(promise: Promise<unknown>): Promise<DbError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DbError) return error;
    throw error;
  }
  throw new Error('expected a DbError');
}

describe('openDatabase settings', () => {
  it('names DATABASE_URL and hides the URL when it cannot be parsed', async () => {
    const error = await failure(openDatabase({ url: 'postgres://user:hunter2@[bad', kek: TEST_KEK }));
    expect(error.code).toBe('ERR_DB_CONFIG');
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses another scheme, naming DATABASE_URL', async () => {
    const error = await failure(openDatabase({ url: 'mysql://user:hunter2@localhost/db', kek: TEST_KEK }));
    expect(error.code).toBe('ERR_DB_CONFIG');
    expect(error.message).toMatch(/^DATABASE_URL uses unsupported scheme 'mysql:\/\/'/);
    expect(error.message).not.toContain('hunter2');
  });

  it('reports an unreachable PostgreSQL within a few seconds, with host, port and setting', async () => {
    const started = performance.now();
    const error = await failure(
      openDatabase({
        url: 'postgresql://postgres:pw@127.0.0.1:1/test',
        kek: TEST_KEK,
        connectTimeoutMs: 2000,
      }),
    );
    expect(error.code).toBe('ERR_DB_CONNECT');
    expect(error.message).toMatch(/^Cannot connect to PostgreSQL at 127\.0\.0\.1:1 \(DATABASE_URL\): .+/);
    expect(error.message).not.toContain('pw@');
    // Fails within the connect timeout rather than hanging (generous bound for a loaded machine).
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it.runIf(POSTGRES_URL !== undefined)(
    'reports a missing PostgreSQL database as a connection error',
    async () => {
      const url = new URL(POSTGRES_URL ?? 'postgresql://x');
      url.pathname = '/uid2_no_such_database';
      const error = await failure(openDatabase({ url: url.toString(), kek: TEST_KEK }));
      expect(error.code).toBe('ERR_DB_CONNECT');
      expect(error.message).toContain('uid2_no_such_database');
    },
  );

  it('rejects a key-encryption key that is not 32 bytes as a programming error', async () => {
    await expect(openDatabase({ kek: Buffer.alloc(16) })).rejects.toBeInstanceOf(TypeError);
  });
});

describe.runIf(POSTGRES_URL !== undefined)('openDatabase on PostgreSQL', () => {
  it('refuses a KEK other than the one the database was created with', async () => {
    const engine = await createTestEngine('postgres');
    try {
      const db = await engine.open();
      await db.close();
      const error = await failure(engine.open({ kek: OTHER_KEK }));
      expect(error).toMatchObject({ code: 'ERR_DB_KEK_MISMATCH', message: MISMATCH });
      const again = await engine.open();
      await again.close();
    } finally {
      await engine.dispose();
    }
  });
});

describe('openDatabase on an embedded data directory', () => {
  let root: string;
  let cluster: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'uid2-db-'));
    cluster = join(root, 'cluster');
    const db = await openDatabase({ dataDir: cluster, kek: TEST_KEK });
    await db.sites.create({ id: 3, name: 'persisted', nowMs: NOW_MS });
    await db.close();
  }, 60_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function copy(name: string): Promise<string> {
    const target = join(root, name);
    await cp(cluster, target, { recursive: true });
    return target;
  }

  it('keeps data across reopening, takes the lock while open and releases it on close', async () => {
    const db = await openDatabase({ dataDir: cluster, kek: TEST_KEK });
    try {
      expect((await db.sites.list()).map((site) => site.name)).toEqual(['persisted']);
      const error = await failure(openDatabase({ dataDir: cluster, kek: TEST_KEK }));
      expect(error.code).toBe('ERR_DB_EMBEDDED_LOCKED');
      expect(error.message).toContain(cluster);
    } finally {
      await db.close();
      await db.close();
    }
    expect(await readdir(cluster)).not.toContain('uid2-operator.lock');
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = await copy('stale-lock');
    await writeFile(join(dir, 'uid2-operator.lock'), '2147483646\n');
    const db = await openDatabase({ dataDir: dir, kek: TEST_KEK });
    await db.close();
  });

  it('refuses a KEK other than the one the database was created with', async () => {
    const dir = await copy('other-kek');
    const error = await failure(openDatabase({ dataDir: dir, kek: OTHER_KEK }));
    expect(error).toMatchObject({ code: 'ERR_DB_KEK_MISMATCH', message: MISMATCH });
  });

  it('refuses a directory that holds other files instead of initializing over them', async () => {
    const dir = join(root, 'junk');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'x');
    const error = await failure(openDatabase({ dataDir: dir, kek: TEST_KEK }));
    expect(error.code).toBe('ERR_DB_EMBEDDED_CORRUPT');
    expect(error.message).toContain(dir);
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  it('refuses a cluster with a missing or truncated piece and changes nothing', async () => {
    const noVersion = await copy('no-version');
    await unlink(join(noVersion, 'PG_VERSION'));
    expect((await failure(openDatabase({ dataDir: noVersion, kek: TEST_KEK }))).code).toBe(
      'ERR_DB_EMBEDDED_CORRUPT',
    );
    const shortControl = await copy('short-control');
    await truncate(join(shortControl, 'global', 'pg_control'), 10);
    const error = await failure(openDatabase({ dataDir: shortControl, kek: TEST_KEK }));
    expect(error.code).toBe('ERR_DB_EMBEDDED_CORRUPT');
    expect(error.message).toContain('global/pg_control');
  });

  it('reports a damaged table file as a damaged database', async () => {
    const dir = await copy('damaged-table');
    const probe = await openDatabase({ dataDir: dir, kek: TEST_KEK });
    const [row] = await rawQuery<{ path: string }>(probe, `SELECT pg_relation_filepath('db_meta') AS path`);
    await probe.close();
    await writeFile(join(dir, row!.path), Buffer.alloc(8192, 0xff));
    const error = await failure(openDatabase({ dataDir: dir, kek: TEST_KEK }));
    expect(error.code).toBe('ERR_DB_EMBEDDED_CORRUPT');
    expect(error.message).toContain(dir);
  });

  it('refuses a data directory setting that is a file', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    const error = await failure(openDatabase({ dataDir: file, kek: TEST_KEK }));
    expect(error.code).toBe('ERR_DB_CONFIG');
  });

  it('uses an in-memory database when the URL is empty and no directory is set', async () => {
    const db = await openDatabase({ url: ' ', kek: TEST_KEK });
    expect(db.engine).toBe('pglite');
    expect((await db.migrationStatus()).pending).toEqual([]);
    await db.close();
  }, 30_000);
});
