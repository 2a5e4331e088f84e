import { hash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DbError } from '../db-error.js';

/** One migration directory of `prisma/migrations`. */
export interface MigrationFile {
  /** Directory name, `<14-digit timestamp>_<name>`. */
  readonly name: string;
  /** The `migration.sql` text. */
  readonly sql: string;
  /** Lower-case hex SHA-256 of the file bytes (what Prisma stores in `_prisma_migrations.checksum`). */
  readonly checksum: string;
}

const MIGRATION_DIR = /^\d{14}_[A-Za-z0-9_]+$/;

/** `prisma/migrations` of this package (same relative place from `src/internal` and `dist/internal`). */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/**
 * Reads every `<timestamp>_<name>/migration.sql` under `dir`, sorted by name (= by timestamp).
 * Other entries (`migration_lock.toml`) are ignored.
 *
 * @throws DbError `ERR_DB_CONFIG` when the directory or a migration file cannot be read.
 */
export async function readMigrationFiles(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    throw new DbError(
      'ERR_DB_CONFIG',
      `Cannot read the migrations directory ${dir}: ${(error as Error).message}`,
    );
  }
  const names = entries.filter((entry) => MIGRATION_DIR.test(entry)).sort();
  return Promise.all(
    names.map(async (name) => {
      const path = join(dir, name, 'migration.sql');
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (error) {
        throw new DbError(
          'ERR_DB_CONFIG',
          `Cannot read migration ${path}: ${(error as Error).message}`,
          name,
        );
      }
      return { name, sql: bytes.toString('utf8'), checksum: hash('sha256', bytes, 'hex') };
    }),
  );
}
