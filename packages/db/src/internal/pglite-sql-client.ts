import { PGlite } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import { DbError } from '../db-error.js';
import { acquireDataDirLock, checkDataDir } from './pglite-data-dir.js';
import type { DataDirLock } from './pglite-data-dir.js';
import { asBuffer } from './sql-client.js';
import type { SqlClient, SqlClientConnection, SqlQueryable } from './sql-client.js';

type PGliteRunner = Pick<PGlite, 'query' | 'exec'> | Transaction;

function normalizeRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) {
    const value = row[key];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) row[key] = asBuffer(value);
  }
  return row;
}

function queryable(runner: PGliteRunner): SqlQueryable {
  return {
    async query<T extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await runner.query<Record<string, unknown>>(sql, [...params]);
      return result.rows.map(normalizeRow) as T[];
    },
    async exec(sql: string) {
      await runner.exec(sql);
    },
  };
}

/**
 * Opens an embedded PGlite database: in memory when `dataDir` is undefined, else in that directory
 * (created if missing). A directory that holds anything but a complete PGlite cluster is refused
 * with `ERR_DB_EMBEDDED_CORRUPT` (PGlite itself would silently initialize a new cluster over it).
 *
 * @throws DbError `ERR_DB_CONFIG` (not a directory), `ERR_DB_EMBEDDED_CORRUPT`, `ERR_DB_EMBEDDED_LOCKED`.
 */
export async function openPGliteSqlClient(dataDir: string | undefined): Promise<PGliteSqlClient> {
  if (dataDir === undefined) return new PGliteSqlClient(await PGlite.create(), undefined, undefined);
  const directory = await checkDataDir(dataDir);
  const lock = await acquireDataDirLock(directory);
  try {
    const lite = await PGlite.create(directory);
    try {
      await lite.query('SELECT 1');
    } catch (error) {
      await lite.close().catch(() => undefined);
      throw error;
    }
    return new PGliteSqlClient(lite, directory, lock);
  } catch (error) {
    await lock.release();
    if (error instanceof DbError) throw error;
    throw embeddedCorrupt(directory, error);
  }
}

/** The `ERR_DB_EMBEDDED_CORRUPT` error for `directory`, with the engine's reason. */
export function embeddedCorrupt(directory: string, cause: unknown): DbError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DbError(
    'ERR_DB_EMBEDDED_CORRUPT',
    `The embedded database in ${directory} cannot be opened (${reason}). ` +
      'It is damaged or incomplete; restore it from a backup or point the data directory elsewhere. ' +
      'Nothing was reset.',
  );
}

/** {@link SqlClient} over one PGlite instance; `lite` is also handed to Prisma's adapter. */
export class PGliteSqlClient implements SqlClient {
  readonly engine = 'pglite';
  readonly lite: PGlite;
  /** Absolute data directory, or `undefined` in memory. */
  readonly dataDir: string | undefined;
  private readonly lock: DataDirLock | undefined;
  private readonly base: SqlQueryable;

  constructor(lite: PGlite, dataDir: string | undefined, lock: DataDirLock | undefined) {
    this.lite = lite;
    this.dataDir = dataDir;
    this.lock = lock;
    this.base = queryable(lite);
  }

  query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.base.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.base.exec(sql);
  }

  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.lite.transaction((tx) => work(queryable(tx)));
  }

  async withAdvisoryLock<T>(
    _lockId: number,
    work: (connection: SqlClientConnection) => Promise<T>,
  ): Promise<T> {
    // One PGlite instance serves one process and the data directory is locked: nothing to exclude.
    return work({ ...this.base, transaction: (inner) => this.transaction(inner) });
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    const unlisten = await this.lite.listen(channel, onPayload);
    let closed = false;
    return async () => {
      if (closed || this.lite.closed) return;
      closed = true;
      await unlisten();
    };
  }

  async close(): Promise<void> {
    if (!this.lite.closed) await this.lite.close();
    await this.lock?.release();
  }
}
