import { DbError } from '../db-error.js';
import type { RandomSource } from '../kek.js';
import type { MigrationFile } from './migration-files.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';

/** A migration recorded in `_prisma_migrations`. */
export interface AppliedMigration {
  readonly name: string;
  readonly checksum: string;
  /** When it finished applying, epoch ms. */
  readonly finishedAtMs: number;
}

/** Applied and pending migrations (the CLI's `db status`). */
export interface MigrationStatus {
  /** Applied migrations in the order they were applied. */
  readonly applied: readonly AppliedMigration[];
  /** Names of migrations this build has and the database lacks, in the order they will be applied. */
  readonly pending: readonly string[];
}

// Any fixed 64-bit number; the same in every process of every version of this package.
const MIGRATION_LOCK_ID = 0x75696432; // "uid2"

// Prisma's own definition, so `prisma migrate status` can read what this runner writes.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

async function readApplied(sql: SqlQueryable): Promise<MigrationRow[]> {
  const [table] = await sql.query<{ present: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
  );
  if (table?.present !== true) return [];
  return sql.query<MigrationRow>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
      WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name`,
  );
}

/**
 * Compares the database's migration history with this build's files.
 *
 * @throws DbError `ERR_DB_MIGRATION_FAILED` (a migration started but never finished),
 *   `ERR_DB_MIGRATION_UNKNOWN` (applied migration missing from this build),
 *   `ERR_DB_MIGRATION_CHECKSUM` (applied migration's file changed). `detail` = migration name.
 */
export function compareMigrations(
  rows: readonly MigrationRow[],
  files: readonly MigrationFile[],
): MigrationStatus {
  const byName = new Map(files.map((file) => [file.name, file]));
  const applied: AppliedMigration[] = [];
  for (const row of rows) {
    const name = row.migration_name;
    if (row.finished_at === null) {
      throw new DbError(
        'ERR_DB_MIGRATION_FAILED',
        `Migration ${name} was started but never finished; repair the database by hand, then mark it rolled back`,
        name,
      );
    }
    const file = byName.get(name);
    if (file === undefined) {
      throw new DbError(
        'ERR_DB_MIGRATION_UNKNOWN',
        `The database has migration ${name}, which this build does not have: it was migrated by a newer ` +
          'or different version. Run that version, or restore a matching backup',
        name,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new DbError(
        'ERR_DB_MIGRATION_CHECKSUM',
        `Migration ${name} was modified after it was applied (checksum mismatch); restore its original migration.sql`,
        name,
      );
    }
    applied.push({ name, checksum: row.checksum, finishedAtMs: row.finished_at.getTime() });
  }
  const done = new Set(applied.map((migration) => migration.name));
  return { applied, pending: files.filter((file) => !done.has(file.name)).map((file) => file.name) };
}

/** Reads the migration status without changing anything (see {@link compareMigrations} for errors). */
export async function migrationStatus(
  sql: SqlQueryable,
  files: readonly MigrationFile[],
): Promise<MigrationStatus> {
  return compareMigrations(await readApplied(sql), files);
}

/**
 * Applies every pending migration, each in its own transaction together with its
 * `_prisma_migrations` row, while holding an advisory lock so that processes starting together
 * migrate once. Refuses to run when the history does not match this build (see
 * {@link compareMigrations}).
 *
 * @returns the names of the migrations applied now (empty when up to date).
 * @throws DbError `ERR_DB_MIGRATION_FAILED` naming the migration whose SQL failed (nothing of it
 *   stays applied), plus the errors of {@link compareMigrations}.
 */
export async function runMigrations(
  client: SqlClient,
  files: readonly MigrationFile[],
  random: RandomSource,
): Promise<string[]> {
  return client.withAdvisoryLock(MIGRATION_LOCK_ID, async (connection) => {
    await connection.exec(CREATE_TABLE);
    const status = compareMigrations(await readApplied(connection), files);
    const byName = new Map(files.map((file) => [file.name, file]));
    const appliedNow: string[] = [];
    for (const name of status.pending) {
      const file = byName.get(name);
      if (file === undefined) continue;
      try {
        await connection.transaction(async (tx) => {
          await tx.exec(file.sql);
          await tx.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
            [uuidV4(random(16)), file.checksum, file.name],
          );
        });
      } catch (error) {
        throw new DbError(
          'ERR_DB_MIGRATION_FAILED',
          `Migration ${name} failed and was rolled back: ${(error as Error).message}`,
          name,
        );
      }
      appliedNow.push(name);
    }
    return appliedNow;
  });
}

/** Formats 16 random bytes as an RFC 9562 version-4 UUID (Prisma's `_prisma_migrations.id`). */
function uuidV4(bytes: Buffer): string {
  const b = Buffer.from(bytes);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
