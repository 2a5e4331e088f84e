import type { OptOutRecord } from '@uid2-operator/optout';
import { appendChange } from './change-log.js';
import { ADD_OPTOUTS_SQL, encodeOptOutBatch } from './optout-rows.js';
import type { SqlQueryable } from './sql-client.js';

const WRITE_BATCH = 10_000;

/**
 * Writes validated, deduplicated opt-out records in the caller's transaction (insert new keys,
 * lower the time / fill a missing advertising id of existing ones) and logs one change (entity
 * `optout`) when anything changed. Returns the number of newly inserted records.
 */
export async function writeOptOuts(tx: SqlQueryable, batch: readonly OptOutRecord[]): Promise<number> {
  if (batch.length === 0) return 0;
  // Take a transaction id before drawing sequence values (see change-log.ts).
  await tx.query(`SELECT pg_current_xact_id()`);
  // Probe the primary key per input row: with a hash join the planner scans the whole table for
  // every batch, which makes loading millions of opt-outs quadratic.
  await tx.exec(`SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off`);
  let inserted = 0;
  let changed = 0;
  for (let start = 0; start < batch.length; start += WRITE_BATCH) {
    const [row] = await tx.query<{ inserted: number; rewritten: number }>(
      ADD_OPTOUTS_SQL,
      encodeOptOutBatch(batch.slice(start, start + WRITE_BATCH)),
    );
    inserted += row?.inserted ?? 0;
    changed += (row?.inserted ?? 0) + (row?.rewritten ?? 0);
  }
  if (changed > 0) await appendChange(tx, 'optout', null, inserted === changed ? 'insert' : 'update');
  return inserted;
}
