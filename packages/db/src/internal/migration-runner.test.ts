import { hash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../open-database.js';
import {
  createPostgresDatabase,
  engineNames,
  POSTGRES_URL,
  TEST_KEK,
} from '../test-support/test-database.js';
import { openDatabase } from '../open-database.js';
import { contextOf } from './context-registry.js';
import { DEFAULT_MIGRATIONS_DIR, readMigrationFiles } from './migration-files.js';
import type { MigrationFile } from './migration-files.js';
import { migrationStatus, runMigrations } from './migration-runner.js';

const INIT = '20261126000000_init';
/** Every committed migration, in order. */
const ALL = [INIT, '20261126120000_optout_snapshots'];

describe.each(engineNames())('migration runner on %s', (engineName) => {
  let db: Database;
  let drop: (() => Promise<void>) | undefined;
  let files: MigrationFile[];

  beforeAll(async () => {
    files = await readMigrationFiles();
    if (engineName === 'postgres') {
      const database = await createPostgresDatabase();
      drop = () => database.drop();
      db = await openDatabase({ url: database.url, kek: TEST_KEK, migrate: false });
    } else {
      db = await openDatabase({ kek: TEST_KEK, migrate: false });
    }
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('lists the committed migration as pending on a new database, applies it once, then is idempotent', async () => {
    expect(await db.migrationStatus()).toEqual({ applied: [], pending: ALL });
    expect(await db.migrate()).toEqual(ALL);
    expect(await db.migrate()).toEqual([]);
    const status = await db.migrationStatus();
    expect(status.pending).toEqual([]);
    expect(status.applied.map((m) => m.name)).toEqual(ALL);
    const bytes = await readFile(join(DEFAULT_MIGRATIONS_DIR, INIT, 'migration.sql'));
    expect(status.applied[0]?.checksum).toBe(hash('sha256', bytes, 'hex'));
    const [row] = await contextOf(db).sql.query<{ id: string; applied_steps_count: number; logs: null }>(
      `SELECT id, applied_steps_count, logs FROM "_prisma_migrations" WHERE migration_name = $1`,
      [INIT],
    );
    expect(row).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      applied_steps_count: 1,
      logs: null,
    });
  });

  it('refuses to start when an applied migration file was changed', async () => {
    const changed = files.map((file) => ({
      ...file,
      checksum: hash('sha256', `${file.sql}\n-- edited`, 'hex'),
    }));
    const sql = contextOf(db).sql;
    await expect(runMigrations(sql, changed, randomBytes)).rejects.toMatchObject({
      code: 'ERR_DB_MIGRATION_CHECKSUM',
      detail: INIT,
    });
    await expect(migrationStatus(sql, changed)).rejects.toThrow(
      `Migration ${INIT} was modified after it was applied`,
    );
  });

  it('refuses to start when the database has a migration this build does not know', async () => {
    const sql = contextOf(db).sql;
    await expect(runMigrations(sql, [], randomBytes)).rejects.toMatchObject({
      code: 'ERR_DB_MIGRATION_UNKNOWN',
      detail: INIT,
    });
  });

  it('rolls back a failing migration completely and names it', async () => {
    const sql = contextOf(db).sql;
    const broken: MigrationFile = {
      name: '20990101000000_broken',
      sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();',
      checksum: 'f'.repeat(64),
    };
    await expect(runMigrations(sql, [...files, broken], randomBytes)).rejects.toMatchObject({
      code: 'ERR_DB_MIGRATION_FAILED',
      detail: broken.name,
    });
    const [table] = await sql.query<{ present: boolean }>(
      `SELECT to_regclass('half_done') IS NOT NULL AS present`,
    );
    expect(table?.present).toBe(false);
    expect((await migrationStatus(sql, [...files, broken])).pending).toEqual([broken.name]);
  });

  it('refuses a migration that was started but never finished', async () => {
    const sql = contextOf(db).sql;
    await sql.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ('x', 'y', '20990101000001_stuck', now())`,
    );
    await expect(migrationStatus(sql, files)).rejects.toMatchObject({
      code: 'ERR_DB_MIGRATION_FAILED',
      detail: '20990101000001_stuck',
    });
    await sql.query(`DELETE FROM "_prisma_migrations" WHERE id = 'x'`);
  });
});

describe('migration runner with a migrations directory', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'uid2-migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, root, { recursive: true });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('ignores entries that are not migrations and reports an unreadable directory', async () => {
    await mkdir(join(root, 'notes'));
    await writeFile(join(root, 'README.md'), 'x');
    expect((await readMigrationFiles(root)).map((file) => file.name)).toEqual(ALL);
    await expect(readMigrationFiles(join(root, 'missing'))).rejects.toMatchObject({ code: 'ERR_DB_CONFIG' });
    await mkdir(join(root, '20990101000000_empty'));
    await expect(readMigrationFiles(root)).rejects.toMatchObject({
      code: 'ERR_DB_CONFIG',
      detail: '20990101000000_empty',
    });
    await rm(join(root, '20990101000000_empty'), { recursive: true });
  });

  it.runIf(POSTGRES_URL !== undefined)(
    'lets two processes starting together migrate exactly once',
    async () => {
      const database = await createPostgresDatabase();
      try {
        const [a, b] = await Promise.all([
          openDatabase({ url: database.url, kek: TEST_KEK, migrationsDir: root }),
          openDatabase({ url: database.url, kek: TEST_KEK, migrationsDir: root }),
        ]);
        const rows = await contextOf(a).sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "_prisma_migrations"`,
        );
        expect(rows[0]?.n).toBe(ALL.length);
        await a.close();
        await b.close();
      } finally {
        await database.drop();
      }
    },
  );
});
