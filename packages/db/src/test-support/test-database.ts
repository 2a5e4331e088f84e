import { hash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { contextOf } from '../internal/context-registry.js';
import { readMigrationFiles } from '../internal/migration-files.js';
import { runMigrations } from '../internal/migration-runner.js';
import { PGliteSqlClient } from '../internal/pglite-sql-client.js';
import { openDatabase, openDatabaseOn } from '../open-database.js';
import type { Database, OpenDatabaseOptions } from '../open-database.js';

/** A fixed KEK for tests. */
export const TEST_KEK = Buffer.alloc(32, 7);

/** The PostgreSQL server of `DATABASE_URL`, when set (tests only; packages never read env). */
export const POSTGRES_URL = process.env.DATABASE_URL?.trim() || undefined;

/** A database engine the store tests run against. */
export interface TestEngine {
  readonly name: 'pglite' | 'postgres';
  /** Opens a Database on this engine's (per-file) database; on PGlite every call is a new in-memory one. */
  open(options?: Partial<OpenDatabaseOptions>): Promise<Database>;
  /** Connection URL of the per-file PostgreSQL database (postgres only). */
  readonly url: string | undefined;
  /** Drops the per-file PostgreSQL database. */
  dispose(): Promise<void>;
}

/** `pglite` always, plus `postgres` when `DATABASE_URL` is set: for `describe.each`. */
export function engineNames(): ('pglite' | 'postgres')[] {
  return POSTGRES_URL === undefined ? ['pglite'] : ['pglite', 'postgres'];
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates a fresh, empty PostgreSQL database `uid2_test_<random>` on the `DATABASE_URL` server. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (POSTGRES_URL === undefined) throw new Error('DATABASE_URL is not set');
  const name = `uid2_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(POSTGRES_URL, name),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The engine `name`, with its own fresh PostgreSQL database when it is `postgres`. */
export async function createTestEngine(name: 'pglite' | 'postgres'): Promise<TestEngine> {
  if (name === 'pglite') {
    return {
      name,
      url: undefined,
      open: (options = {}) => openTemplatePGlite(options),
      dispose: () => Promise.resolve(),
    };
  }
  const database = await createPostgresDatabase();
  return {
    name,
    url: database.url,
    open: (options = {}) => openDatabase({ kek: TEST_KEK, url: database.url, ...options }),
    dispose: () => database.drop(),
  };
}

/**
 * A migrated PGlite data directory as a tar, cached in the OS temp dir per migration set: restoring
 * it takes ~1 s where `initdb` + migrations take 3-5 s, which adds up over a dozen test files.
 */
async function templateDump(): Promise<Blob> {
  const files = await readMigrationFiles();
  const tag = hash('sha256', files.map((file) => file.checksum).join(','), 'hex').slice(0, 16);
  const path = join(tmpdir(), `uid2-db-test-template-${tag}.tar`);
  try {
    return new Blob([await readFile(path)]);
  } catch {
    const lite = await PGlite.create();
    const sql = new PGliteSqlClient(lite, undefined, undefined);
    await runMigrations(sql, files, randomBytes);
    const dump = await lite.dumpDataDir('none');
    await lite.close();
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(temporary, Buffer.from(await dump.arrayBuffer()));
    await rename(temporary, path);
    return dump;
  }
}

/** An in-memory PGlite Database restored from the migrated template (see {@link templateDump}). */
export async function openTemplatePGlite(options: Partial<OpenDatabaseOptions> = {}): Promise<Database> {
  const lite = await PGlite.create({ loadDataDir: await templateDump() });
  return openDatabaseOn(new PGliteSqlClient(lite, undefined, undefined), { kek: TEST_KEK, ...options });
}

/** Empties every data table (keeps migrations and the KEK check), restarting sequences. */
export async function resetDatabase(db: Database): Promise<void> {
  // DELETE, not TRUNCATE: on these small tables it is several times faster (no new files).
  await contextOf(db).sql.exec(
    `DELETE FROM client_keypairs; DELETE FROM api_keys; DELETE FROM encryption_keys; DELETE FROM keysets;
     DELETE FROM sites; DELETE FROM salt_buckets; DELETE FROM salt_metadata; DELETE FROM optouts;
     DELETE FROM optout_snapshots; DELETE FROM change_log; DELETE FROM db_meta WHERE key <> 'kek_check';
     ALTER SEQUENCE change_log_id_seq RESTART; ALTER SEQUENCE optouts_seq_seq RESTART;`,
  );
}

/** Runs a raw query on a Database's own connection (to inspect stored rows). */
export async function rawQuery<T extends object>(
  db: Database,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  return contextOf(db).sql.query<T>(sql, params);
}

/** A deterministic random source: successive bytes of a counter stream seeded with `seed`. */
export function deterministicRandom(seed = 1): (size: number) => Buffer {
  let state = seed;
  return (size) => {
    const out = Buffer.alloc(size);
    for (let i = 0; i < size; i++) {
      state = (state * 1_103_515_245 + 12_345) >>> 0;
      out[i] = state >>> 24;
    }
    return out;
  };
}

/** A fixed "now" for tests: 2026-01-01T00:00:00Z in epoch ms. */
export const NOW_MS = Date.UTC(2026, 0, 1);
