import { join } from 'node:path';
import { type Database, loadOrCreateKekFile, openDatabase, parseKek } from '@uid2-operator/db';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { dataDirOf } from './client-config.js';

/** Where the admin commands find the database. */
export interface DatabaseLocation {
  /** `--database-url` / `DATABASE_URL`; unset or empty = embedded PGlite. */
  readonly databaseUrl?: string | undefined;
  /** `--data-dir` / `UID2_DATA_DIR`, default `.data`. */
  readonly dataDir?: string | undefined;
}

/** How {@link withDatabase} opens the database. */
export interface OpenMode {
  /**
   * `auto` (default): apply pending migrations on the embedded database, refuse to work on a
   * PostgreSQL database that needs them (run `uid2 db migrate`); `never`: open without migrating;
   * `always`: migrate.
   */
  readonly migrate?: 'auto' | 'never' | 'always';
}

function urlOf(io: CliIo, location: DatabaseLocation): string | undefined {
  const url = (location.databaseUrl ?? io.env['DATABASE_URL'])?.trim();
  return url === undefined || url === '' ? undefined : url;
}

/**
 * A stable text naming the database (for import checkpoints): the PostgreSQL URL without its
 * password, or the embedded data directory.
 */
export function databaseIdentity(io: CliIo, location: DatabaseLocation): string {
  const url = urlOf(io, location);
  if (url === undefined) return `pglite:${join(dataDirOf(io, location.dataDir), 'pglite')}`;
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'postgres:invalid-url';
  }
}

/**
 * Opens the database the way the operator does — PostgreSQL when a URL is set (then `UID2_KEK` is
 * required), else embedded PGlite in `<data dir>/pglite` with the KEK from `UID2_KEK` or
 * `<data dir>/kek` (created on first use) — runs `work`, and always closes it.
 *
 * @throws DbError from opening (unreachable server, wrong KEK, locked embedded directory, …)
 * @throws CliError when a PostgreSQL database needs migrations and the mode is `auto`
 */
export async function withDatabase<T>(
  io: CliIo,
  location: DatabaseLocation,
  work: (db: Database) => Promise<T>,
  mode: OpenMode = {},
): Promise<T> {
  const url = urlOf(io, location);
  const dataDir = dataDirOf(io, location.dataDir);
  const kekText = io.env['UID2_KEK']?.trim();
  if (url !== undefined && (kekText === undefined || kekText === '')) {
    throw new CliError('UID2_KEK is required with a database URL (the key-encryption key the operator uses)');
  }
  const kek =
    kekText !== undefined && kekText !== ''
      ? parseKek(kekText)
      : await loadOrCreateKekFile(join(dataDir, 'kek'));
  const wanted = mode.migrate ?? 'auto';
  const migrateOnOpen = wanted === 'always' || (wanted === 'auto' && url === undefined);
  const db = await openDatabase({
    url,
    dataDir: url === undefined ? join(dataDir, 'pglite') : undefined,
    kek,
    migrate: migrateOnOpen,
    random: io.random,
  });
  try {
    if (wanted === 'auto' && !migrateOnOpen) {
      const status = await db.migrationStatus();
      if (status.pending.length > 0) {
        throw new CliError(
          `the database needs ${status.pending.length} migration(s): run "uid2 db migrate" first`,
        );
      }
    }
    return await work(db);
  } finally {
    await db.close();
  }
}
