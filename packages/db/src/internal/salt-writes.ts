import { createBucketIdEncoder, defaultRotationRefreshFromMs } from '@uid2-operator/salt-buckets';
import type { SaltBucket, SaltError } from '@uid2-operator/salt-buckets';
import { DbError } from '../db-error.js';
import type { InitSaltsInput, SaltMetadataRecord } from '../salt-store.js';
import { appendChange } from './change-log.js';
import { toDbError } from './prisma-errors.js';
import { encodeBucketBatch, UPSERT_BUCKETS_SQL } from './salt-rows.js';
import type { SqlQueryable } from './sql-client.js';
import type { StoreContext } from './store-context.js';
import { requireInteger, secondsOf } from './validate.js';

const WRITE_BATCH = 65_536;

interface MetadataRow {
  first_level_salt_enc: Buffer;
  id_prefix: string;
  id_secret_enc: Buffer;
  bucket_count: number;
  created: number;
}

/** Reads and decrypts the salt metadata (also used by the snapshot). */
export async function readSaltMetadata(
  sql: SqlQueryable,
  ctx: StoreContext,
): Promise<SaltMetadataRecord | undefined> {
  const [row] = await sql.query<MetadataRow>(
    `SELECT first_level_salt_enc, id_prefix, id_secret_enc, bucket_count, created FROM salt_metadata WHERE id = 1`,
  );
  if (row === undefined) return undefined;
  return {
    firstLevelSalt: ctx.box.openText('salt_first_level', 1, row.first_level_salt_enc),
    idPrefix: row.id_prefix,
    idSecret: ctx.box.openText('salt_id_secret', 1, row.id_secret_enc),
    bucketCount: row.bucket_count,
    createdSeconds: row.created,
  };
}

/**
 * A salt-buckets error about stored data (a missing or unusable bucket) as a DbError
 * (`ERR_DB_SALTS_MISSING` or `ERR_DB_QUERY`), naming the bucket index only.
 */
export function storedBucketError(error: SaltError): DbError {
  const which = error.detail === undefined ? 'a salt bucket' : `salt bucket ${error.detail}`;
  return error.code === 'ERR_SALT_BUCKET_MISSING'
    ? new DbError('ERR_DB_SALTS_MISSING', `${which} is missing from the database`)
    : new DbError('ERR_DB_QUERY', `${which} stored in the database is unusable (${error.code})`);
}

/**
 * Logs one salt change (`op`) and writes the buckets in batches of 65,536 (insert or replace),
 * stamping them with that change's id, in the caller's transaction.
 */
export async function writeBuckets(
  tx: SqlQueryable,
  ctx: StoreContext,
  buckets: readonly SaltBucket[],
  op: 'insert' | 'update',
): Promise<void> {
  const single = buckets.length === 1 ? String(buckets[0]?.index) : null;
  const changeId = await appendChange(tx, 'salt', single, op);
  for (let start = 0; start < buckets.length; start += WRITE_BATCH) {
    const batch = buckets.slice(start, start + WRITE_BATCH);
    await tx.query(UPSERT_BUCKETS_SQL, encodeBucketBatch(batch, ctx.bucketCipher, ctx.random, changeId));
  }
}

/** Builds the buckets once the bucket-id encoder is known. */
export type BucketBuilder = (encodeId: (id: number) => string) => SaltBucket[];

/** Creates the metadata and every bucket in one transaction (`ERR_DB_SALTS_EXIST` if present). */
export async function insertSaltTable(
  ctx: StoreContext,
  meta: Omit<SaltMetadataRecord, 'createdSeconds'>,
  nowMs: number,
  buildBuckets: BucketBuilder,
  inSameTransaction?: (tx: SqlQueryable) => Promise<void>,
): Promise<SaltMetadataRecord> {
  ctx.assertOpen();
  const created = secondsOf('nowMs', nowMs);
  const list = buildBuckets(createBucketIdEncoder(meta.idPrefix, meta.idSecret));
  list.forEach((bucket, position) => {
    if (bucket.index !== position) {
      throw new DbError(
        'ERR_DB_INVALID_INPUT',
        `bucket ${position} has index ${bucket.index}; buckets must be 0 … n−1 in order`,
      );
    }
  });
  try {
    await ctx.sql.transaction(async (tx) => {
      const exists = await tx.query(`SELECT 1 FROM salt_metadata FOR UPDATE`);
      if (exists.length > 0)
        throw new DbError('ERR_DB_SALTS_EXIST', 'Salts are already initialized; rotate them instead');
      await tx.query(
        `INSERT INTO salt_metadata (id, first_level_salt_enc, id_prefix, id_secret_enc, bucket_count, created) VALUES (1, $1, $2, $3, $4, $5)`,
        [
          ctx.box.sealText('salt_first_level', 1, meta.firstLevelSalt),
          meta.idPrefix,
          ctx.box.sealText('salt_id_secret', 1, meta.idSecret),
          list.length,
          created,
        ],
      );
      await writeBuckets(tx, ctx, list, 'insert');
      await inSameTransaction?.(tx);
    });
  } catch (error) {
    throw toDbError('salt table', error);
  }
  return { ...meta, bucketCount: list.length, createdSeconds: created };
}

/**
 * {@link SaltStore.initSalts}, running `inSameTransaction` inside its transaction (the dev seed
 * writes its progress marker there, so a crash cannot leave salts without the marker).
 */
export async function initSaltsWith(
  ctx: StoreContext,
  input: InitSaltsInput,
  inSameTransaction?: (tx: SqlQueryable) => Promise<void>,
): Promise<SaltMetadataRecord> {
  const count = requireInteger('bucket count', input.bucketCount ?? 1_048_576, 1, 16_777_216);
  const nowMs = requireInteger('nowMs', input.nowMs, 0);
  const refreshFromMs = requireInteger(
    'refreshFromMs',
    input.refreshFromMs ?? defaultRotationRefreshFromMs(nowMs),
    0,
  );
  const idPrefix = input.idPrefix ?? String.fromCharCode(97 + ((ctx.random(1)[0] ?? 0) % 26));
  const meta = {
    firstLevelSalt: ctx.random(32).toString('base64'),
    idPrefix,
    idSecret: ctx.random(32).toString('base64'),
    bucketCount: count,
  };
  const build: BucketBuilder = (encodeId) => {
    const salts = ctx.random(32 * count);
    return Array.from({ length: count }, (_, index) => ({
      index,
      bucketId: encodeId(index),
      lastUpdatedMs: nowMs,
      refreshFromMs,
      currentSalt: salts.toString('base64', index * 32, index * 32 + 32),
      previousSalt: null,
      currentKey: null,
      previousKey: null,
    }));
  };
  return insertSaltTable(ctx, meta, nowMs, build, inSameTransaction);
}
