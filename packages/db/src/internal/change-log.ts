import type { SqlQueryable } from './sql-client.js';

/** What a change-log entry is about; one value per store that operators follow. */
export type ChangeEntity = 'site' | 'api_key' | 'keyset' | 'key' | 'salt' | 'optout' | 'keypair';

/** The kind of write a change-log entry records. */
export type ChangeOp = 'insert' | 'update' | 'delete';

/** Every {@link ChangeEntity}. */
export const CHANGE_ENTITIES: readonly ChangeEntity[] = [
  'site',
  'api_key',
  'keyset',
  'key',
  'salt',
  'optout',
  'keypair',
];

/** The `NOTIFY` channel of the change log. */
export const CHANGE_CHANNEL = 'uid2_changes';

/**
 * Appends one change-log row and queues its `NOTIFY` in the caller's transaction (delivered on
 * commit); returns the row's id. Used by the bulk stores (salt buckets, opt-outs); the other tables
 * log through triggers. `pg_current_xact_id()` runs before the id is drawn so that readers' gap
 * detection (which watches in-progress transaction ids) can never miss this transaction.
 */
export async function appendChange(
  tx: SqlQueryable,
  entity: ChangeEntity,
  entityKey: string | null,
  op: ChangeOp,
): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `WITH entry AS (
       INSERT INTO "change_log" ("entity", "entity_key", "op")
       SELECT $1, $2, $3 FROM (SELECT pg_current_xact_id()) AS assigned
       RETURNING "id"
     )
     SELECT "id", pg_notify('${CHANGE_CHANNEL}', jsonb_build_object('id', "id", 'entity', $1::text)::text) FROM entry`,
    [entity, entityKey, op],
  );
  return row?.id ?? 0;
}

/**
 * SQL fragment (one row, column `quiet`) that is true when no transaction anywhere in the cluster
 * was in progress at the statement's snapshot — then every id gap is permanent (a rollback or an
 * `ON CONFLICT` that drew a sequence value), and readers need not wait for it.
 */
export const QUIET_SNAPSHOT_SQL = `NOT EXISTS (SELECT 1 FROM pg_snapshot_xip(pg_current_snapshot()))`;

/**
 * Whether a reader at `expected` (the position right after its cursor) may consume a row at
 * `position`: always when there is no gap; across a gap only when no transaction could still fill
 * it — the snapshot was `quiet`, or the row after the gap is older than the grace period
 * (`settled`; a transaction open that long is presumed gone).
 */
export function mayConsume(expected: number, position: number, quiet: boolean, settled: boolean): boolean {
  return position === expected || quiet || settled;
}
