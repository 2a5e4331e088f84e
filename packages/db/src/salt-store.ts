import type { SaltBucket } from '@uid2-operator/salt-buckets';
import { DbError } from './db-error.js';
import { markHandled } from './internal/mark-handled.js';
import { toDbError } from './internal/prisma-errors.js';
import { decodeBucketBatch, READ_BUCKETS_SQL, READ_CHANGED_BUCKETS_SQL } from './internal/salt-rows.js';
import type { BucketAggregateRow } from './internal/salt-rows.js';
import { rotateSaltsWith } from './internal/salt-rotation.js';
import { initSaltsWith, insertSaltTable, readSaltMetadata, writeBuckets } from './internal/salt-writes.js';
import type { StoreContext } from './internal/store-context.js';
import { requireInteger, requireText } from './internal/validate.js';

/** Salt metadata (spec/internals.md §3.10), decrypted. */
export interface SaltMetadataRecord {
  /** First-level salt text (hashed as text, §3.3). */
  readonly firstLevelSalt: string;
  /** Bucket-id prefix. */
  readonly idPrefix: string;
  /** Bucket-id hashids salt text. */
  readonly idSecret: string;
  /** Number of buckets (1,048,576 in production). */
  readonly bucketCount: number;
  /** Creation time, epoch seconds. */
  readonly createdSeconds: number;
}

/** Arguments of {@link SaltStore.initSalts}. */
export interface InitSaltsInput {
  /** Default 1,048,576. */
  readonly bucketCount?: number;
  /** Current time, epoch ms: every bucket's `lastUpdatedMs`. */
  readonly nowMs: number;
  /** Bucket-id prefix; default one random lower-case letter. */
  readonly idPrefix?: string;
  /** Every bucket's `refreshFromMs`; default the next UTC midnight after now + 1 day. */
  readonly refreshFromMs?: number;
}

/** Arguments of {@link SaltStore.importSalts}: an existing salt table (e.g. a reference salt file). */
export interface ImportSaltsInput {
  readonly firstLevelSalt: string;
  readonly idPrefix: string;
  readonly idSecret: string;
  /** Every bucket, indexes 0 … n−1. */
  readonly buckets: readonly SaltBucket[];
  /** Current time, epoch ms. */
  readonly nowMs: number;
}

/** Arguments of {@link SaltStore.rotate}. */
export interface RotateSaltsInput {
  /** Share of **all** buckets to rotate, 0..1 (1/365 rotates every bucket about once a year); rounded up. */
  readonly fraction: number;
  /** Rotation time, epoch ms: `lastUpdatedMs` of the rotated buckets, and the eligibility cut-off. */
  readonly nowMs: number;
  /** `refreshFromMs` (epoch ms) of the rotated buckets; default the next UTC midnight after now + 1 day. */
  readonly refreshFromMs?: number;
}

/** Result of {@link SaltStore.rotate}. */
export interface SaltRotationResult {
  /** Buckets rotated (and written as one change-log entry). */
  readonly rotated: number;
  /** Buckets whose `refreshFromMs` ≤ `nowMs`, i.e. that could be rotated. */
  readonly eligible: number;
  /** Buckets in the table. */
  readonly bucketCount: number;
}

/** Salts. Bulk paths use SQL over the driver; bucket secrets are AES-256-CTR encrypted (see README). */
export interface SaltStore {
  /** The salt metadata, or `undefined` before `initSalts`. */
  metadata(): Promise<SaltMetadataRecord | undefined>;
  /**
   * Creates the metadata (random 32-byte first-level salt and id secret, base64) and `bucketCount`
   * buckets with random 32-byte base64 salts, in one transaction.
   * @throws DbError `ERR_DB_SALTS_EXIST`, `ERR_DB_INVALID_INPUT`.
   */
  initSalts(input: InitSaltsInput): Promise<SaltMetadataRecord>;
  /** Stores a complete existing salt table. @throws DbError `ERR_DB_SALTS_EXIST`, `ERR_DB_INVALID_INPUT`. */
  importSalts(input: ImportSaltsInput): Promise<SaltMetadataRecord>;
  /**
   * Replaces the given buckets (a rotation planned with salt-buckets' `planRotation`) in one
   * transaction and logs one change (entity `salt`). Returns the number of buckets written.
   * @throws DbError `ERR_DB_SALTS_MISSING`, `ERR_DB_INVALID_INPUT` (index out of range).
   */
  applySaltRotation(changedBuckets: readonly SaltBucket[]): Promise<number>;
  /**
   * Rotates `ceil(fraction × bucketCount)` buckets (spec/internals.md §3.10), planned with
   * salt-buckets' `planRotation`: only buckets whose `refreshFromMs` ≤ `nowMs`, oldest
   * `lastUpdatedMs` first; each gets a new random 32-byte base64 salt and keeps its old salt (and
   * key material) as the previous one. Reads the whole table and writes the rotated buckets in one
   * transaction that locks the salt metadata, logging one change (entity `salt`): operators apply
   * it with {@link SaltStore.changedBuckets}. Nothing eligible → nothing written, `rotated: 0`.
   * @throws DbError `ERR_DB_SALTS_MISSING` (no salts, or buckets missing), `ERR_DB_INVALID_INPUT`
   *   (fraction outside 0..1, bad times), `ERR_DB_QUERY` (an unusable stored bucket).
   */
  rotate(input: RotateSaltsInput): Promise<SaltRotationResult>;
  /**
   * Every bucket in index order, `batchSize` (default 65,536) at a time, decrypted. Take the
   * change cursor first (`loadSnapshot`), then follow `salt` changes so nothing written during the
   * stream is missed.
   */
  streamBuckets(batchSize?: number): AsyncIterable<SaltBucket[]>;
  /**
   * The buckets whose last write was logged as change-log entry `changeId` (an entry of entity
   * `salt` whose `entityKey` is not `metadata`), decrypted, in index order. Operators apply a
   * rotation with this instead of reloading the table; buckets rewritten by a later change come
   * with that change.
   */
  changedBuckets(changeId: number): Promise<SaltBucket[]>;
}

const READ_BATCH = 65_536;

/** Builds the {@link SaltStore} of a Database. */
export function createSaltStore(ctx: StoreContext): SaltStore {
  return {
    async metadata() {
      ctx.assertOpen();
      return readSaltMetadata(ctx.sql, ctx);
    },
    initSalts: (input) => initSaltsWith(ctx, input),
    async importSalts(input) {
      const meta = {
        firstLevelSalt: requireText('first-level salt', input.firstLevelSalt, 1024),
        idPrefix: typeof input.idPrefix === 'string' ? input.idPrefix : '',
        idSecret: requireText('id secret', input.idSecret, 1024),
        bucketCount: input.buckets.length,
      };
      if (input.buckets.length === 0)
        throw new DbError('ERR_DB_INVALID_INPUT', 'a salt table needs at least one bucket');
      return insertSaltTable(ctx, meta, input.nowMs, () => [...input.buckets]);
    },
    async applySaltRotation(changedBuckets) {
      ctx.assertOpen();
      if (changedBuckets.length === 0) return 0;
      try {
        await ctx.sql.transaction(async (tx) => {
          const [meta] = await tx.query<{ bucket_count: number }>(
            `SELECT bucket_count FROM salt_metadata WHERE id = 1`,
          );
          if (meta === undefined)
            throw new DbError('ERR_DB_SALTS_MISSING', 'Salts are not initialized; run initSalts first');
          for (const bucket of changedBuckets)
            requireInteger('bucket index', bucket.index, 0, meta.bucket_count - 1);
          await writeBuckets(tx, ctx, changedBuckets, 'update');
        });
      } catch (error) {
        throw toDbError('salt buckets', error);
      }
      return changedBuckets.length;
    },
    rotate: (input) => rotateSaltsWith(ctx, input),
    async changedBuckets(changeId) {
      ctx.assertOpen();
      const [row] = await ctx.sql.query<BucketAggregateRow>(READ_CHANGED_BUCKETS_SQL, [
        requireInteger('change id', changeId, 1),
      ]);
      return row === undefined ? [] : decodeBucketBatch(row, ctx.bucketCipher);
    },
    async *streamBuckets(batchSize = READ_BATCH) {
      ctx.assertOpen();
      const size = requireInteger('batch size', batchSize, 1, 1_048_576);
      const [bounds] = await ctx.sql.query<{ last: number | null }>(
        `SELECT max(idx) AS last FROM salt_buckets`,
      );
      const last = bounds?.last ?? -1;
      const read = (start: number): Promise<BucketAggregateRow[]> => {
        ctx.assertOpen();
        return ctx.sql.query<BucketAggregateRow>(READ_BUCKETS_SQL, [start, size]);
      };
      // The next batch is requested before this one is decoded: the database builds it meanwhile.
      // Handled from the start: it may fail while the consumer holds the previous batch, or after
      // the consumer stopped early; a failure reaches the consumer through the await below.
      let next = last >= 0 ? markHandled(read(0)) : undefined;
      for (let start = 0; next !== undefined; start += size) {
        const [row] = await next;
        next = start + size <= last ? markHandled(read(start + size)) : undefined;
        if (row !== undefined && row.n > 0) yield decodeBucketBatch(row, ctx.bucketCipher);
      }
    },
  };
}
