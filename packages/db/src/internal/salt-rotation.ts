import { createSaltTable, planRotation, SaltError } from '@uid2-operator/salt-buckets';
import type { SaltTable } from '@uid2-operator/salt-buckets';
import { DbError } from '../db-error.js';
import type { RotateSaltsInput, SaltRotationResult } from '../salt-store.js';
import { toDbError } from './prisma-errors.js';
import { decodeBucketBatch, READ_BUCKETS_SQL } from './salt-rows.js';
import type { BucketAggregateRow } from './salt-rows.js';
import { readSaltMetadata, storedBucketError, writeBuckets } from './salt-writes.js';
import type { SqlQueryable } from './sql-client.js';
import type { StoreContext } from './store-context.js';
import { requireInteger } from './validate.js';

const READ_BATCH = 65_536;
const SALT_BYTES = 32;

/** The whole stored table in a compact salt table, and how many buckets may rotate at `nowMs`. */
async function loadTable(
  tx: SqlQueryable,
  ctx: StoreContext,
  nowMs: number,
): Promise<{ table: SaltTable; eligible: number }> {
  const meta = await readSaltMetadata(tx, ctx);
  if (meta === undefined)
    throw new DbError('ERR_DB_SALTS_MISSING', 'Salts are not initialized; run initSalts first');
  // A compact table, not an array of bucket objects: 1,048,576 buckets as objects take ~250 MB.
  const table = createSaltTable({ firstLevelSalt: meta.firstLevelSalt, bucketCount: meta.bucketCount });
  let eligible = 0;
  for (let start = 0; start < meta.bucketCount; start += READ_BATCH) {
    const [row] = await tx.query<BucketAggregateRow>(READ_BUCKETS_SQL, [start, READ_BATCH]);
    if (row === undefined) continue;
    for (const bucket of decodeBucketBatch(row, ctx.bucketCipher)) {
      table.set(bucket);
      if (bucket.refreshFromMs <= nowMs) eligible++;
    }
  }
  if (table.loadedCount !== meta.bucketCount) {
    throw new DbError(
      'ERR_DB_SALTS_MISSING',
      `the salt table has ${table.loadedCount} of its ${meta.bucketCount} buckets`,
    );
  }
  return { table, eligible };
}

/** Hands out `count` salts (base64 of 32 random bytes) drawn in one call, then one call each. */
function saltSupply(ctx: StoreContext, count: number): () => string {
  const pool = count > 0 ? ctx.random(SALT_BYTES * count) : Buffer.alloc(0);
  let next = 0;
  return () => {
    const at = SALT_BYTES * next++;
    if (at + SALT_BYTES > pool.length) return ctx.random(SALT_BYTES).toString('base64');
    return pool.toString('base64', at, at + SALT_BYTES);
  };
}

/**
 * {@link SaltStore.rotate}: in one transaction, locks the salt metadata (so concurrent rotations
 * run one after the other), loads every bucket, plans with salt-buckets' `planRotation` and writes
 * the rotated buckets as one change-log entry (entity `salt`).
 */
export async function rotateSaltsWith(
  ctx: StoreContext,
  input: RotateSaltsInput,
): Promise<SaltRotationResult> {
  ctx.assertOpen();
  const { fraction } = input;
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw new DbError('ERR_DB_INVALID_INPUT', 'fraction must be a number from 0 to 1');
  }
  const nowMs = requireInteger('nowMs', input.nowMs, 0);
  const refreshFromMs =
    input.refreshFromMs === undefined ? undefined : requireInteger('refreshFromMs', input.refreshFromMs, 0);
  try {
    return await ctx.sql.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM salt_metadata WHERE id = 1 FOR UPDATE`);
      const { table, eligible } = await loadTable(tx, ctx, nowMs);
      const wanted = Math.min(Math.ceil(fraction * table.bucketCount), eligible);
      const rotated = planRotation({
        buckets: table,
        fraction,
        nowMs,
        randomSalt: saltSupply(ctx, wanted),
        ...(refreshFromMs === undefined ? {} : { refreshFromMs }),
      });
      if (rotated.length > 0) await writeBuckets(tx, ctx, rotated, 'update');
      return { rotated: rotated.length, eligible, bucketCount: table.bucketCount };
    });
  } catch (error) {
    throw error instanceof SaltError ? storedBucketError(error) : toDbError('salt buckets', error);
  }
}
