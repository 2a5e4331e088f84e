import pg from 'pg';
import { DbError } from '../db-error.js';
import type { SqlClient, SqlClientConnection, SqlQueryable } from './sql-client.js';

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;
const defaultParser: (oid: number, format: 'text' | 'binary') => (text: string) => unknown =
  pg.types.getTypeParser;

// Per-query type parsers (the pool is shared with Prisma's adapter, which sets its own per query).
const queryTypes: pg.CustomTypesConfig = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (text: string) => Number(text);
    if (oid === INT8_ARRAY_OID) {
      const parseArray = defaultParser(oid, 'text') as (text: string) => (string | null)[];
      return (text: string) => parseArray(text).map((value) => (value === null ? null : Number(value)));
    }
    return defaultParser(oid, format ?? 'text');
  },
};

interface PgRunner {
  query<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>>;
}

function queryable(runner: PgRunner): SqlQueryable {
  return {
    async query<T extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await runner.query<T & pg.QueryResultRow>({
        text: sql,
        values: [...params],
        types: queryTypes,
      });
      return result.rows;
    },
    async exec(sql: string) {
      await runner.query({ text: sql });
    },
  };
}

async function inTransaction<T>(client: pg.PoolClient, work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work(queryable(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Where a PostgreSQL URL points, for error messages (never includes the password). */
export interface PgTarget {
  readonly connectionString: string;
  readonly hostPort: string;
  readonly settingName: string;
}

/**
 * Opens a pool and proves it can connect (one `SELECT 1`), so a wrong URL fails at start-up.
 *
 * @throws DbError `ERR_DB_CONNECT` naming host:port and the setting, with the driver's reason.
 */
export async function openPgSqlClient(target: PgTarget, connectTimeoutMs: number): Promise<PgSqlClient> {
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    connectionTimeoutMillis: connectTimeoutMs,
    max: 10,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server would otherwise crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DbError(
      'ERR_DB_CONNECT',
      `Cannot connect to PostgreSQL at ${target.hostPort} (${target.settingName}): ${describeConnectError(error)}`,
    );
  }
  return new PgSqlClient(pool, target, connectTimeoutMs);
}

function describeConnectError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0)
    return describeConnectError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return error.message || code || error.name;
  }
  return String(error);
}

/** {@link SqlClient} over a `pg` Pool; `pool` is also handed to Prisma's adapter. */
export class PgSqlClient implements SqlClient {
  readonly engine = 'postgres';
  readonly pool: pg.Pool;
  private readonly target: PgTarget;
  private readonly connectTimeoutMs: number;
  private readonly base: SqlQueryable;

  constructor(pool: pg.Pool, target: PgTarget, connectTimeoutMs: number) {
    this.pool = pool;
    this.target = target;
    this.connectTimeoutMs = connectTimeoutMs;
    this.base = queryable(pool);
  }

  query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.base.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.base.exec(sql);
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, work);
    } finally {
      client.release();
    }
  }

  async withAdvisoryLock<T>(
    lockId: number,
    work: (connection: SqlClientConnection) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [lockId]);
      try {
        const connection: SqlClientConnection = {
          ...queryable(client),
          transaction: (inner) => inTransaction(client, inner),
        };
        return await work(connection);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [lockId]).catch(() => undefined);
      }
    } finally {
      client.release();
    }
  }

  async listen(
    channel: string,
    onPayload: (payload: string) => void,
    onLost: () => void = () => undefined,
  ): Promise<() => Promise<void>> {
    // LISTEN needs its own long-lived session, outside the pool.
    const client = new pg.Client({
      connectionString: this.target.connectionString,
      connectionTimeoutMillis: this.connectTimeoutMs,
    });
    let closed = false;
    const lost = () => {
      if (closed) return;
      closed = true;
      void client.end().catch(() => undefined);
      onLost();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      closed = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    return async () => {
      if (closed) return;
      closed = true;
      await client.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
