import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where admin command tests keep their database: env for the CLI, and how to clean up. */
export interface AdminEngine {
  readonly name: 'pglite' | 'postgres';
  /** Environment for `runUid2` (DATABASE_URL, UID2_KEK, UID2_DATA_DIR). */
  readonly env: Record<string, string>;
  /** A directory for the test's own files (also the data dir). */
  readonly dir: string;
  dispose(): Promise<void>;
}

/** The PostgreSQL server of the test environment's `DATABASE_URL`, if any. */
export const POSTGRES_URL = process.env['DATABASE_URL']?.trim() || undefined;

/** Engines to run admin tests on: embedded always, PostgreSQL when `DATABASE_URL` is set. */
export function adminEngineNames(): ('pglite' | 'postgres')[] {
  return POSTGRES_URL === undefined ? ['pglite'] : ['pglite', 'postgres'];
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database: an embedded one in a temp directory, or a new PostgreSQL database
 * `uid2_cli_test_<random>` (dropped by `dispose`).
 */
export async function createAdminEngine(name: 'pglite' | 'postgres'): Promise<AdminEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'uid2-cli-admin-'));
  if (name === 'pglite') {
    return {
      name,
      dir,
      env: { UID2_DATA_DIR: dir },
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const database = `uid2_cli_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${database}`));
  const url = new URL(POSTGRES_URL!);
  url.pathname = `/${database}`;
  return {
    name,
    dir,
    env: { UID2_DATA_DIR: dir, DATABASE_URL: url.toString(), UID2_KEK: randomBytes(32).toString('base64') },
    async dispose() {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
