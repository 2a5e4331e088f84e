/**
 * The small SQL surface the stores use, implemented over a `pg` Pool (PostgreSQL) and over PGlite.
 * Rows come back as plain objects with normalized types: INT8 as `number` (every bigint this schema
 * stores — ids, epoch seconds and ms — is below 2^53), BYTEA as `Buffer`, arrays as JS arrays.
 */
export interface SqlQueryable {
  /** Runs one parameterized statement and returns its rows. */
  query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of one or more statements without parameters (simple query protocol). */
  exec(sql: string): Promise<void>;
}

/** Which engine a {@link SqlClient} talks to. */
export type SqlEngine = 'postgres' | 'pglite';

/** A connection pool or embedded database, see {@link SqlQueryable}. */
export interface SqlClient extends SqlQueryable {
  readonly engine: SqlEngine;
  /** Runs `work` in one transaction on one connection; commits on success, rolls back on throw. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one dedicated connection while holding the session-level advisory lock `lockId`
   * (`pg_advisory_lock`), so concurrent processes serialize. `work` may open transactions on it.
   */
  withAdvisoryLock<T>(lockId: number, work: (connection: SqlClientConnection) => Promise<T>): Promise<T>;
  /**
   * Subscribes to `NOTIFY` on `channel`; returns the function that unsubscribes. `onLost` is called
   * once if the listening connection dies (the caller re-subscribes; notifications may be missed).
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onLost?: () => void,
  ): Promise<() => Promise<void>>;
  /** Releases every connection / closes the embedded database. */
  close(): Promise<void>;
}

/** One connection that can run queries and transactions (handed out by `withAdvisoryLock`). */
export interface SqlClientConnection extends SqlQueryable {
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
}

/** Returns `value` as a Buffer without copying (PGlite returns BYTEA as a plain Uint8Array). */
export function asBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
