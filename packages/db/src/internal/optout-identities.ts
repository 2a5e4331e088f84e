import type { IdentityType, OptOutRecord } from '@uid2-operator/optout';
import { bucketIndex, createFirstLevelHasher, mapIdentity, SaltError } from '@uid2-operator/salt-buckets';
import type { MapIdentityOptions, SaltBucket, SaltSource } from '@uid2-operator/salt-buckets';
import { DbError } from '../db-error.js';
import type { AddedOptOutIdentities, AddOptOutIdentitiesInput, OptOutIdentity } from '../optout-db-store.js';
import { dedupeBatch } from './optout-rows.js';
import { writeOptOuts } from './optout-writes.js';
import { decodeBucketBatch, READ_SELECTED_BUCKETS_SQL } from './salt-rows.js';
import type { BucketAggregateRow } from './salt-rows.js';
import { readSaltMetadata, storedBucketError } from './salt-writes.js';
import type { SqlQueryable } from './sql-client.js';
import type { StoreContext } from './store-context.js';
import { requireInteger } from './validate.js';

const SCOPES: readonly unknown[] = ['UID2', 'EUID'];
const TYPES: readonly unknown[] = ['email', 'phone'];
const ENVIRONMENTS: readonly unknown[] = ['test', 'integ', 'prod'];

function validate(input: AddOptOutIdentitiesInput): void {
  if (!SCOPES.includes(input.scope)) throw new DbError('ERR_DB_INVALID_INPUT', 'scope must be UID2 or EUID');
  if (!ENVIRONMENTS.includes(input.environment))
    throw new DbError('ERR_DB_INVALID_INPUT', 'environment must be test, integ or prod');
  if (typeof input.identityV3 !== 'boolean')
    throw new DbError('ERR_DB_INVALID_INPUT', 'identityV3 must be a boolean');
  requireInteger('optedOutAtSeconds', input.optedOutAtSeconds, 0, Number.MAX_SAFE_INTEGER / 1000);
  const list: unknown = input.identities;
  if (!Array.isArray(list)) throw new DbError('ERR_DB_INVALID_INPUT', 'identities must be an array');
  const identities: readonly (Partial<OptOutIdentity> | null)[] = input.identities;
  identities.forEach((identity, position) => {
    const bytes: unknown = identity?.diiHash;
    if (
      !TYPES.includes(identity?.type) ||
      !(bytes instanceof Uint8Array) ||
      bytes.length < 31 ||
      bytes.length > 33
    ) {
      throw new DbError(
        'ERR_DB_INVALID_INPUT',
        `identity ${position} needs type email or phone and 31–33 identity bytes`,
      );
    }
  });
}

/**
 * A salt source over only the buckets the first-level hashes fall into, read with one query
 * (`idx = ANY(…)`) instead of the whole table.
 */
async function selectedBuckets(
  tx: SqlQueryable,
  ctx: StoreContext,
  diiHashes: readonly Uint8Array[],
): Promise<SaltSource> {
  const meta = await readSaltMetadata(tx, ctx);
  if (meta === undefined)
    throw new DbError('ERR_DB_SALTS_MISSING', 'Salts are not initialized; run initSalts first');
  const { firstLevelSalt, bucketCount } = meta;
  const firstLevelHash = createFirstLevelHasher(firstLevelSalt);
  const wanted = new Set<number>();
  for (const diiHash of diiHashes) wanted.add(bucketIndex(firstLevelHash(diiHash), bucketCount));
  const [row] = await tx.query<BucketAggregateRow>(READ_SELECTED_BUCKETS_SQL, [[...wanted]]);
  const loaded = new Map<number, SaltBucket>();
  if (row !== undefined)
    for (const bucket of decodeBucketBatch(row, ctx.bucketCipher)) loaded.set(bucket.index, bucket);
  return {
    firstLevelSalt,
    bucketCount,
    bucket(index) {
      const bucket = loaded.get(index);
      if (bucket === undefined) throw new SaltError('ERR_SALT_BUCKET_MISSING', index);
      return bucket;
    },
  };
}

/** {@link OptOutDbStore.addIdentities}, in one transaction. */
export async function addOptOutIdentities(
  ctx: StoreContext,
  input: AddOptOutIdentitiesInput,
): Promise<AddedOptOutIdentities> {
  validate(input);
  const { identities, scope, optedOutAtSeconds } = input;
  if (identities.length === 0) return { inserted: 0, records: [] };
  try {
    return await ctx.sql.transaction(async (tx) => {
      const source = await selectedBuckets(
        tx,
        ctx,
        identities.map((identity) => identity.diiHash),
      );
      const common = {
        scope,
        environment: input.environment,
        identityV3: input.identityV3,
        nowMs: optedOutAtSeconds * 1000,
      };
      const options: Record<IdentityType, MapIdentityOptions> = {
        email: { ...common, type: 'email' },
        phone: { ...common, type: 'phone' },
      };
      const records = identities.map((identity): OptOutRecord => {
        const mapped = mapIdentity(identity.diiHash, source, options[identity.type]);
        return {
          firstLevelHash: mapped.firstLevelHash,
          advertisingId: mapped.rawUid,
          scope,
          type: identity.type,
          optedOutAtSeconds,
        };
      });
      const inserted = await writeOptOuts(tx, dedupeBatch(records));
      return { inserted, records };
    });
  } catch (error) {
    throw error instanceof SaltError ? storedBucketError(error) : error;
  }
}
