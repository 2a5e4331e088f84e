import { OptOutIndex } from '@uid2-operator/optout';
import type { OptOutDbStore } from '../optout-db-store.js';
import { DbError } from '../db-error.js';
import { markHandled } from './mark-handled.js';
import { toDbError } from './prisma-errors.js';
import { asBuffer } from './sql-client.js';
import type { StoreContext } from './store-context.js';

/** A complete opt-out index snapshot stored in `optout_snapshots` / `optout_snapshot_parts`. */
export interface OptOutSnapshotInfo {
  readonly id: number;
  /**
   * Every opt-out with `seq` ≤ this is in the snapshot: continue with
   * `OptOutDbStore.scanSince(throughSeq)` after loading it.
   */
  readonly throughSeq: number;
  /** Distinct first-level hashes in the snapshotted index (its `size`). */
  readonly entries: number;
  /** Total snapshot bytes over all parts. */
  readonly bytes: number;
  /** Number of parts (chunks), read in order 0 … parts − 1. */
  readonly parts: number;
  /** When the write started, epoch ms. */
  readonly createdMs: number;
}

/** Arguments of `OptOutDbStore.saveSnapshot`. */
export interface SaveOptOutSnapshotInput {
  /** Every opt-out with `seq` ≤ this must be in `chunks` (an index's `scanSince` cursor). */
  readonly throughSeq: number;
  /** Distinct first-level hashes in the index (its `size`), for monitoring. */
  readonly entries: number;
  /** The snapshot bytes (`OptOutIndex.snapshot()`), each chunk stored as one part. */
  readonly chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  /**
   * Skip the write (resolve `null`) when another writer started one within this many ms and has
   * not finished (default 10 minutes; 0 = always write).
   */
  readonly busyWithinMs?: number;
}

interface SnapshotRow {
  id: number;
  through_seq: number;
  entries: number;
  bytes: number;
  parts: number;
  created_ms: number;
}

const INFO_COLUMNS = `id, through_seq, entries, bytes, parts, (extract(epoch FROM created) * 1000)::int8 AS created_ms`;

/** Complete snapshots kept: the newest and the one before it (a slow reader may still be on it). */
const KEEP_COMPLETE = 2;

function toInfo(row: SnapshotRow): OptOutSnapshotInfo {
  return {
    id: row.id,
    throughSeq: row.through_seq,
    entries: row.entries,
    bytes: row.bytes,
    parts: row.parts,
    createdMs: row.created_ms,
  };
}

/**
 * The newest complete snapshot, or null. A snapshot claiming records beyond the newest stored one
 * (the opt-out table was emptied or restored from an older backup since) is ignored: starting
 * from it could skip records written later under the same sequence numbers.
 */
export async function latestSnapshot(ctx: StoreContext): Promise<OptOutSnapshotInfo | null> {
  const [row] = await ctx.sql.query<SnapshotRow>(
    `SELECT ${INFO_COLUMNS} FROM optout_snapshots
      WHERE complete AND through_seq <= (SELECT COALESCE(max(seq), 0) FROM optouts)
      ORDER BY id DESC LIMIT 1`,
  );
  return row === undefined ? null : toInfo(row);
}

/** Parts requested ahead of the one being consumed (the database encodes while Node decodes). */
const READ_AHEAD = 2;

/**
 * The parts of `snapshot` in order, one query each, {@link READ_AHEAD} in flight. Parts travel as
 * base64 text: PGlite parses BYTEA results in JavaScript (≈ 10 MB/s), and node-postgres's hex
 * BYTEA path is half as fast as base64 (3.4 s vs 1.6 s for 352 MB here).
 * @throws DbError `ERR_DB_NOT_FOUND` when a part is missing (the snapshot was deleted meanwhile)
 */
export async function* readSnapshotParts(
  ctx: StoreContext,
  snapshot: OptOutSnapshotInfo,
): AsyncGenerator<Uint8Array> {
  const fetchPart = async (part: number): Promise<Uint8Array> => {
    ctx.assertOpen();
    const [row] = await ctx.sql
      .query<{ data: string }>(
        `SELECT encode(data, 'base64') AS data FROM optout_snapshot_parts WHERE snapshot_id = $1 AND part = $2`,
        [snapshot.id, part],
      )
      .catch((error: unknown) => {
        throw toDbError('opt-out snapshot', error);
      });
    if (row === undefined) {
      throw new DbError('ERR_DB_NOT_FOUND', `opt-out snapshot ${snapshot.id} part ${part} does not exist`);
    }
    // PostgreSQL breaks base64 lines every 76 characters; Buffer.from skips the newlines.
    return Buffer.from(row.data, 'base64');
  };
  const inFlight: Promise<Uint8Array>[] = [];
  let requested = 0;
  const requestMore = (): void => {
    while (inFlight.length < READ_AHEAD && requested < snapshot.parts) {
      // Handled from the start: a later part may fail while an earlier one is still awaited, or
      // after the reader stopped early; the failure reaches the reader through its own await.
      inFlight.push(markHandled(fetchPart(requested++)));
    }
  };
  requestMore();
  while (inFlight.length > 0) {
    const data = await inFlight.shift()!;
    requestMore();
    yield data;
  }
}

/**
 * Writes a snapshot part by part (each its own statement, so no transaction holds the database
 * while hundreds of MB go in), then marks it complete and deletes all but the newest complete ones
 * and any older unfinished write. Readers only ever see complete snapshots.
 */
export async function saveSnapshot(
  ctx: StoreContext,
  input: SaveOptOutSnapshotInput,
): Promise<OptOutSnapshotInfo | null> {
  const { throughSeq, entries } = input;
  if (!Number.isSafeInteger(throughSeq) || throughSeq < 0 || !Number.isSafeInteger(entries) || entries < 0) {
    throw new DbError(
      'ERR_DB_INVALID_INPUT',
      'snapshot throughSeq and entries must be non-negative integers',
    );
  }
  const busyWithinMs = input.busyWithinMs ?? 10 * 60_000;
  if (busyWithinMs > 0) {
    const [busy] = await ctx.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM optout_snapshots
        WHERE NOT complete AND created > clock_timestamp() - make_interval(secs => $1)`,
      [busyWithinMs / 1000],
    );
    if ((busy?.n ?? 0) > 0) return null;
  }
  const [created] = await ctx.sql.query<{ id: number }>(
    `INSERT INTO optout_snapshots (through_seq, entries) VALUES ($1, $2) RETURNING id`,
    [throughSeq, entries],
  );
  const id = created!.id;
  // node-postgres sends a Buffer parameter as binary; PGlite serializes BYTEA parameters in
  // JavaScript (12 s for 40 MB), base64 text 10 times faster.
  const pglite = ctx.sql.engine === 'pglite';
  const insertPart = pglite
    ? `INSERT INTO optout_snapshot_parts (snapshot_id, part, data) VALUES ($1, $2, decode($3, 'base64'))`
    : `INSERT INTO optout_snapshot_parts (snapshot_id, part, data) VALUES ($1, $2, $3)`;
  const encodePart = (chunk: Uint8Array): Buffer | string =>
    pglite ? asBuffer(chunk).toString('base64') : asBuffer(chunk);
  let parts = 0;
  let bytes = 0;
  try {
    for await (const chunk of input.chunks) {
      await ctx.sql.query(insertPart, [id, parts, encodePart(chunk)]);
      parts++;
      bytes += chunk.length;
    }
    await ctx.sql.query(`UPDATE optout_snapshots SET complete = true, parts = $2, bytes = $3 WHERE id = $1`, [
      id,
      parts,
      bytes,
    ]);
  } catch (error) {
    await ctx.sql.query(`DELETE FROM optout_snapshots WHERE id = $1`, [id]).catch(() => undefined);
    throw error;
  }
  await ctx.sql.query(
    `DELETE FROM optout_snapshots
      WHERE (NOT complete AND id < $1)
         OR (complete AND id NOT IN (SELECT id FROM optout_snapshots WHERE complete ORDER BY id DESC LIMIT $2))`,
    [id, KEEP_COMPLETE],
  );
  const [row] = await ctx.sql.query<SnapshotRow>(
    `SELECT ${INFO_COLUMNS} FROM optout_snapshots WHERE id = $1`,
    [id],
  );
  return toInfo(row!);
}

/** Deletes every stored snapshot (complete or not); returns how many there were. */
export async function deleteSnapshots(ctx: StoreContext): Promise<number> {
  const rows = await ctx.sql.query<{ id: number }>(`DELETE FROM optout_snapshots RETURNING id`);
  return rows.length;
}

/** Records read per query while {@link rebuildSnapshot} builds the index. */
const REBUILD_PAGE = 50_000;

/**
 * Builds the opt-out index from every record (as an operator's first start does) and stores its
 * snapshot, whether or not another write is in progress. Returns the stored snapshot's info.
 */
export async function rebuildSnapshot(store: OptOutDbStore): Promise<OptOutSnapshotInfo> {
  // The operator's index keeps every scope (one snapshot serves UID2 and EUID operators alike).
  const index = new OptOutIndex();
  let cursor: number | null = null;
  for (;;) {
    const page = await store.scanSince(cursor, { limit: REBUILD_PAGE });
    index.addAll(page.records);
    cursor = page.cursor;
    if (!page.more) break;
  }
  const saved = await store.saveSnapshot({
    throughSeq: cursor,
    entries: index.size,
    chunks: index.snapshot(),
    busyWithinMs: 0,
  });
  return saved!;
}
