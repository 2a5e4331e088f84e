import { CHANGE_CHANNEL, CHANGE_ENTITIES, mayConsume, QUIET_SNAPSHOT_SQL } from './internal/change-log.js';
import type { ChangeEntity, ChangeOp } from './internal/change-log.js';
import type { SqlClient, SqlQueryable } from './internal/sql-client.js';

/** One change-log entry: a write statement operators must see (README "Change feed"). */
export interface ChangeEntry {
  /** Position in the log (ascending). */
  readonly id: number;
  readonly entity: ChangeEntity;
  /** Key of the changed row when the statement changed exactly one (site id, key id, …), else null. */
  readonly entityKey: string | null;
  readonly op: ChangeOp;
  /** When it was written, epoch ms (database clock). */
  readonly createdAtMs: number;
}

/**
 * What a subscriber is told. `{ id, entity }` for a `NOTIFY`; `{ id: null, entity: null }` once
 * listening has (re)started, because notifications sent while not listening are lost — the
 * subscriber should catch up with `readSince`. Hints are prompts, `readSince` is the truth.
 */
export type ChangeHint =
  { readonly id: number; readonly entity: ChangeEntity } | { readonly id: null; readonly entity: null };

/** A page of {@link ChangeFeed.readSince}. */
export interface ChangePage {
  readonly entries: ChangeEntry[];
  /** Pass to the next `readSince`. */
  readonly cursor: number;
  /** True when the page was full: read again right away. */
  readonly more: boolean;
}

/** The append-only change log and its `NOTIFY` channel (`uid2_changes`). */
export interface ChangeFeed {
  /**
   * Calls `listener` for every change notification, from any process writing to this database
   * (Postgres: a dedicated LISTEN connection, re-established after failures; PGlite: in-process).
   * @returns the function that unsubscribes.
   */
  subscribe(listener: (hint: ChangeHint) => void): () => void;
  /**
   * Entries after `cursor` (0 = from the start), in id order, up to `limit` (default 1,000).
   * Stops before an id gap that a transaction still in progress could fill, unless the entry after
   * it is older than the gap grace period, so concurrent writers committing out of id order are
   * never skipped.
   */
  readSince(cursor: number, options?: { readonly limit?: number }): Promise<ChangePage>;
  /** A cursor from which following the log misses nothing written after this call. */
  currentCursor(): Promise<number>;
}

interface ChangeRow {
  id: number;
  entity: string;
  entity_key: string | null;
  op: string;
  created_ms: number;
  settled: boolean;
  quiet: boolean;
}

/** {@link ChangeFeed.readSince} on one connection or transaction. */
export async function readChangesSince(
  sql: SqlQueryable,
  cursor: number,
  limit: number,
  graceSeconds: number,
): Promise<ChangePage> {
  const rows = await sql.query<ChangeRow>(
    `SELECT id, entity, entity_key, op, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms,
            created_at < now() - make_interval(secs => $3) AS settled, ${QUIET_SNAPSHOT_SQL} AS quiet
       FROM change_log WHERE id > $1 ORDER BY id LIMIT $2`,
    [cursor, limit, graceSeconds],
  );
  const entries: ChangeEntry[] = [];
  let position = cursor;
  for (const row of rows) {
    if (!mayConsume(position + 1, row.id, row.quiet, row.settled))
      return { entries, cursor: position, more: false };
    position = row.id;
    if (!(CHANGE_ENTITIES as readonly string[]).includes(row.entity)) continue;
    entries.push({
      id: row.id,
      entity: row.entity as ChangeEntity,
      entityKey: row.entity_key,
      op: row.op as ChangeOp,
      createdAtMs: Math.round(row.created_ms),
    });
  }
  return { entries, cursor: position, more: rows.length === limit };
}

/** {@link ChangeFeed.currentCursor} on one connection or transaction (consistent with its snapshot). */
export async function currentChangeCursor(sql: SqlQueryable, graceSeconds: number): Promise<number> {
  const [row] = await sql.query<{ base: number }>(
    `SELECT CASE WHEN ${QUIET_SNAPSHOT_SQL} THEN (SELECT COALESCE(max(id), 0) FROM change_log)
                 ELSE (SELECT COALESCE(max(id), 0) FROM change_log WHERE created_at < now() - make_interval(secs => $1)) END AS base`,
    [graceSeconds],
  );
  let cursor = row?.base ?? 0;
  for (;;) {
    const page = await readChangesSince(sql, cursor, 1000, graceSeconds);
    if (page.cursor === cursor) return cursor;
    cursor = page.cursor;
  }
}

const RETRY_MS = 1000;

/** The LISTEN side of {@link ChangeFeed}: one listening connection shared by all subscribers. */
export class ChangeHub {
  private readonly sql: SqlClient;
  private readonly listeners = new Set<(hint: ChangeHint) => void>();
  private stop: (() => Promise<void>) | undefined;
  private starting = false;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(sql: SqlClient) {
    this.sql = sql;
  }

  subscribe(listener: (hint: ChangeHint) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) void this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.halt();
    };
  }

  /** Stops listening for good (Database close). */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.halt();
  }

  private async start(): Promise<void> {
    if (this.starting || this.stop !== undefined || this.closed || this.listeners.size === 0) return;
    this.starting = true;
    try {
      const stop = await this.sql.listen(
        CHANGE_CHANNEL,
        (payload) => this.onPayload(payload),
        () => this.onLost(),
      );
      this.stop = stop;
      if (this.closed || this.listeners.size === 0) {
        await this.halt();
        return;
      }
      this.dispatch({ id: null, entity: null });
    } catch {
      this.scheduleRetry();
    } finally {
      this.starting = false;
    }
  }

  private onLost(): void {
    this.stop = undefined;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.listeners.size === 0 || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.start();
    }, RETRY_MS);
    this.retry.unref();
  }

  private async halt(): Promise<void> {
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
    const stop = this.stop;
    this.stop = undefined;
    await stop?.();
  }

  private onPayload(payload: string): void {
    let hint: ChangeHint;
    try {
      const parsed = JSON.parse(payload) as { id?: unknown; entity?: unknown };
      if (typeof parsed.id !== 'number' || !(CHANGE_ENTITIES as readonly unknown[]).includes(parsed.entity))
        return;
      hint = { id: parsed.id, entity: parsed.entity as ChangeEntity };
    } catch {
      return;
    }
    this.dispatch(hint);
  }

  private dispatch(hint: ChangeHint): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(hint);
      } catch {
        // A failing subscriber must not stop the others.
      }
    }
  }
}
