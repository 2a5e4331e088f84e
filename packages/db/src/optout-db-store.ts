import {
  assertAdvertisingId,
  assertFirstLevelHash,
  assertOptOutRecord,
  OptOutError,
} from '@uid2-operator/optout';
import type { IdentityEnvironment } from '@uid2-operator/salt-buckets';
import type {
  IdentityScope,
  IdentityType,
  OptOutRecord,
  OptOutScanOptions,
  OptOutScanPage,
  OptOutStore,
} from '@uid2-operator/optout';
import { mayConsume, QUIET_SNAPSHOT_SQL } from './internal/change-log.js';
import { addOptOutIdentities } from './internal/optout-identities.js';
import {
  deleteSnapshots,
  latestSnapshot,
  readSnapshotParts,
  rebuildSnapshot,
  saveSnapshot,
} from './internal/optout-snapshots.js';
import type { OptOutSnapshotInfo, SaveOptOutSnapshotInput } from './internal/optout-snapshots.js';
import { inAscendingOrder } from './internal/ascending.js';
import { decodeRecordBlob, dedupeBatch, RECORD_BLOB_SQL, SCOPE_VALUE } from './internal/optout-rows.js';
import { writeOptOuts } from './internal/optout-writes.js';
import { toDbError } from './internal/prisma-errors.js';
import type { StoreContext } from './internal/store-context.js';

/** A page of {@link OptOutDbStore.scanSince}. */
export interface OptOutChanges {
  /** Records written after the cursor, in write order (a record rewritten with an earlier time comes again). */
  readonly records: OptOutRecord[];
  /** Pass to the next `scanSince` call. */
  readonly cursor: number;
  /** True when the page was full: call again right away. */
  readonly more: boolean;
}

export type { OptOutSnapshotInfo, SaveOptOutSnapshotInput } from './internal/optout-snapshots.js';

/** One identity to opt out, as identity bytes (see {@link AddOptOutIdentitiesInput}). */
export interface OptOutIdentity {
  readonly type: IdentityType;
  /**
   * Identity bytes from dii-normalize `diiHashOf`: the 32-byte SHA-256 of the normalized email or
   * phone, or a decoded hash input (31–33 bytes). Not base64.
   */
  readonly diiHash: Uint8Array;
}

/** Arguments of {@link OptOutDbStore.addIdentities}: the operator's identity settings and the time. */
export interface AddOptOutIdentitiesInput {
  readonly identities: readonly OptOutIdentity[];
  /** Operator `IDENTITY_SCOPE` (the record's scope; enters raw UID v3/v4). */
  readonly scope: IdentityScope;
  /** Operator `IDENTITY_V3`: salt buckets give raw UID v3 (33 bytes) instead of v2 (32 bytes). */
  readonly identityV3: boolean;
  /** Operator `IDENTITY_ENVIRONMENT` (enters the raw UID v4 meta byte). */
  readonly environment: IdentityEnvironment;
  /** Opt-out time, epoch **seconds**; also the mapping time (its ms value). */
  readonly optedOutAtSeconds: number;
}

/** Result of {@link OptOutDbStore.addIdentities}. */
export interface AddedOptOutIdentities {
  /** Records that were new (re-added ones only lower the time or fill a missing advertising id). */
  readonly inserted: number;
  /** The record computed for each identity, in input order (duplicates included). */
  readonly records: OptOutRecord[];
}

/**
 * The `OptOutStore` of `@uid2-operator/optout` on PostgreSQL / PGlite, plus `scanSince` for
 * operators following new opt-outs. Records are permanent. Every `add` that changes something logs
 * one change (entity `optout`) and notifies, in the same transaction.
 */
export interface OptOutDbStore extends OptOutStore {
  /**
   * Records written after `cursor` (`null` or 0 = from the beginning), `limit` (default 50,000)
   * at a time. The start-up load and the incremental follow are the same loop: call until `more`
   * is false, then again whenever a change notification arrives or a poll interval passes.
   * Never skips a record of a transaction still in progress (see README "Change feed").
   */
  scanSince(cursor: number | null, options?: { readonly limit?: number }): Promise<OptOutChanges>;
  /**
   * Opts out identities given as identity bytes, the way the operator's `/v2/token/logout` does
   * (spec/internals.md §6.3, spec/api.md §5.4): with the stored salts, the first-level hash and the
   * current raw UID (the advertising id `/v2/optout/status` reports), computed with salt-buckets'
   * `mapIdentity`. Reads only the salt buckets the batch falls into, and stores the records with
   * {@link OptOutStore.add}'s rules, in one transaction: idempotent, and re-adding an opt-out
   * stored without an advertising id fills it in.
   * @throws DbError `ERR_DB_SALTS_MISSING` (no salts, or a needed bucket missing),
   *   `ERR_DB_INVALID_INPUT` (unknown scope, type or environment, identity bytes not 31–33 bytes,
   *   bad time), `ERR_DB_QUERY` (an unusable stored bucket).
   */
  addIdentities(input: AddOptOutIdentitiesInput): Promise<AddedOptOutIdentities>;
  /**
   * The newest complete opt-out index snapshot (see README "Opt-out snapshots"), or null. An
   * operator loads it with `OptOutIndex.fromSnapshot(readSnapshot(info))` and continues with
   * `scanSince(info.throughSeq)`.
   */
  latestSnapshot(): Promise<OptOutSnapshotInfo | null>;
  /**
   * The bytes of a snapshot from {@link latestSnapshot}, part by part (one query per part of
   * ≈ 8 MiB, the next one in flight while the caller uses the current one).
   * @throws DbError `ERR_DB_NOT_FOUND` when a part is gone (a newer snapshot replaced it meanwhile),
   *   `ERR_DB_QUERY`
   */
  readSnapshot(snapshot: OptOutSnapshotInfo): AsyncIterable<Uint8Array>;
  /**
   * Stores an opt-out index snapshot (`OptOutIndex.snapshot()` chunks, one part each) without a
   * long transaction, then marks it complete and keeps only the two newest complete snapshots.
   * Resolves `null` without writing when another writer started one within `busyWithinMs`.
   * @throws DbError `ERR_DB_INVALID_INPUT` (negative or fractional `throughSeq` / `entries`),
   *   `ERR_DB_QUERY`; whatever `chunks` throws (the partial snapshot is deleted)
   */
  saveSnapshot(input: SaveOptOutSnapshotInput): Promise<OptOutSnapshotInfo | null>;
  /**
   * Deletes every stored snapshot, so the next operator start reads every record (and then writes
   * a new snapshot). Returns how many were deleted. Opt-out records are not touched.
   * @throws DbError `ERR_DB_QUERY`
   */
  deleteSnapshots(): Promise<number>;
  /**
   * Builds the opt-out index from every stored record and saves its snapshot (what an operator's
   * first start does, e.g. right after a bulk import so that every start is fast): ≈ 25 s and
   * 400 MB of memory at 10 M opt-outs. Writes even while another write is in progress.
   * @throws DbError `ERR_DB_QUERY`; `OptOutError` for a stored record that does not validate
   */
  rebuildSnapshot(): Promise<OptOutSnapshotInfo>;
}

const CURSOR = /^([0-9a-f]{64})\.([01])$/;

function requireLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new OptOutError('ERR_OPTOUT_BAD_LIMIT', typeof limit === 'number' ? limit : undefined);
  }
  return Math.min(limit, 1_000_000);
}

function encodeCursor(record: OptOutRecord): string {
  return `${Buffer.from(record.firstLevelHash).toString('hex')}.${SCOPE_VALUE[record.scope]}`;
}

/** Builds the {@link OptOutDbStore} of a Database. */
export function createOptOutDbStore(ctx: StoreContext): OptOutDbStore {
  const graceSeconds = ctx.gapGraceMs / 1000;
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    ctx.assertOpen();
    try {
      return await work();
    } catch (error) {
      throw error instanceof OptOutError ? error : toDbError('opt-outs', error);
    }
  };
  const store: OptOutDbStore = {
    add: (records) =>
      run(async () => {
        for (const record of records) assertOptOutRecord(record);
        const batch = dedupeBatch(records);
        if (batch.length === 0) return 0;
        return ctx.sql.transaction((tx) => writeOptOuts(tx, batch));
      }),
    addIdentities: (input) => run(() => addOptOutIdentities(ctx, input)),
    has: (flh, scope) =>
      run(async () => {
        assertFirstLevelHash(flh);
        const [row] = await ctx.sql.query<{ found: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM optouts WHERE first_level_hash = $1 AND scope = $2) AS found`,
          [Buffer.from(flh), SCOPE_VALUE[scope]],
        );
        return row?.found === true;
      }),
    optedOutSince: (advertisingId) =>
      run(async () => {
        assertAdvertisingId(advertisingId);
        const [row] = await ctx.sql.query<{ since: number | null }>(
          `SELECT min(opted_out_at) AS since FROM optouts WHERE advertising_id = $1`,
          [Buffer.from(advertisingId)],
        );
        return row?.since ?? -1;
      }),
    scan: (options: OptOutScanOptions) =>
      run(async (): Promise<OptOutScanPage> => {
        const limit = requireLimit(options.limit);
        const after = options.afterCursor ?? null;
        const match = after === null ? null : CURSOR.exec(after);
        if (after !== null && match === null) throw new OptOutError('ERR_OPTOUT_BAD_CURSOR');
        const scope = options.scope === undefined ? null : SCOPE_VALUE[options.scope];
        const conditions: string[] = [];
        const params: unknown[] = [limit + 1];
        if (match !== null) {
          params.push(Buffer.from(match[1] ?? '', 'hex'), Number(match[2]));
          conditions.push(
            `(first_level_hash, scope) > ($${params.length - 1}::bytea, $${params.length}::int2)`,
          );
        }
        if (scope !== null) {
          params.push(scope);
          conditions.push(`scope = $${params.length}::int2`);
        }
        const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
        const [row] = await ctx.sql.query<{ blob: string | null }>(
          `SELECT ${RECORD_BLOB_SQL.replace('$GRACE', '0').replace('$ORDER', ' ORDER BY first_level_hash, scope')} AS blob
             FROM (SELECT * FROM optouts ${where} ORDER BY first_level_hash, scope LIMIT $1) AS page`,
          params,
        );
        const records = decodeRecordBlob(row?.blob ?? null).map((entry) => entry.record);
        if (records.length <= limit) return { records, cursor: null };
        records.length = limit;
        const last = records[limit - 1];
        return { records, cursor: last === undefined ? null : encodeCursor(last) };
      }),
    count: (scope?: IdentityScope) =>
      run(async () => {
        const [row] = await ctx.sql.query<{ n: number }>(
          `SELECT count(*)::int8 AS n FROM optouts WHERE ($1::int2 IS NULL OR scope = $1::int2)`,
          [scope === undefined ? null : SCOPE_VALUE[scope]],
        );
        return Number(row?.n ?? 0);
      }),
    latestSnapshot: () => run(() => latestSnapshot(ctx)),
    readSnapshot: (snapshot) => readSnapshotParts(ctx, snapshot),
    saveSnapshot: (input) => run(() => saveSnapshot(ctx, input)),
    deleteSnapshots: () => run(() => deleteSnapshots(ctx)),
    rebuildSnapshot: () => run(() => rebuildSnapshot(store)),
    scanSince: (cursor, options = {}) =>
      run(async () => {
        const from = cursor ?? 0;
        const limit = requireLimit(options.limit ?? 50_000);
        const [row] = await ctx.sql.query<{ n: number; blob: string | null; quiet: boolean }>(
          `SELECT count(*)::int AS n, ${RECORD_BLOB_SQL.replace('$GRACE', '$3').replace('$ORDER', '')} AS blob, ${QUIET_SNAPSHOT_SQL} AS quiet
             FROM (SELECT * FROM optouts WHERE seq > $1 ORDER BY seq LIMIT $2) AS page`,
          [from, limit, graceSeconds],
        );
        // The page's aggregate has no ORDER BY of its own (40 % cheaper); its subquery's order usually holds.
        const entries = inAscendingOrder(decodeRecordBlob(row?.blob ?? null), (entry) => entry.seq);
        const records: OptOutRecord[] = [];
        let position = from;
        for (const entry of entries) {
          if (!mayConsume(position + 1, entry.seq, row?.quiet === true, entry.settled)) {
            return { records, cursor: position, more: false };
          }
          records.push(entry.record);
          position = entry.seq;
        }
        return { records, cursor: position, more: entries.length === limit };
      }),
  };
  return store;
}
