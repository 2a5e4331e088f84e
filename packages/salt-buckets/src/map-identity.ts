import { Buffer } from 'node:buffer';
import { CompactSaltTable } from './internal/compact-salt-table.js';
import { mapFlhWithSource, mapWithSource } from './internal/generic-mapping.js';
import { mapFlhWithTable, mapWithTable } from './internal/table-mapping.js';
import type { IdentityEnvironment, IdentityScope, IdentityType } from './identity.js';
import type { SaltBucket, SaltSource } from './salt-bucket.js';

/** Options of {@link mapIdentity}. */
export interface MapIdentityOptions {
  /** Operator identity scope (enters raw UID v3/v4 bytes). */
  readonly scope: IdentityScope;
  /** Type of the identifier being mapped. */
  readonly type: IdentityType;
  /** Operator `identity_environment` (enters raw UID v4 meta byte). */
  readonly environment: IdentityEnvironment;
  /** Operator `identity_v3`: salt buckets give raw UID v3 (33 bytes) instead of v2 (32 bytes). */
  readonly identityV3: boolean;
  /** Request time, epoch ms (previous-UID window and refresh time). */
  readonly nowMs: number;
}

/**
 * Everything identity map, token generate and refresh need about one identity.
 * `bucket` and `bucketId` are getters that read the source on access (they are not own
 * properties, so object spread does not copy them).
 */
export interface MappedIdentity {
  /** 32-byte first-level hash (opt-out key, refresh-token content). */
  readonly firstLevelHash: Buffer;
  /** Current raw UID: v2 (32 B), v3 (33 B) or v4 (33 B) per spec/internals.md §3.8. */
  readonly rawUid: Buffer;
  /** Raw UID before the last rotation, or `null` (older than 90 whole days, or no previous material). */
  readonly previousRawUid: Buffer | null;
  /** Raw-UID refresh time, epoch **ms** (identity map v3 `r` is this ÷ 1000). */
  readonly refreshFromMs: number;
  /** Index of the selected bucket. */
  readonly bucketIndex: number;
  /** Bucket id of the selected bucket (identity map v2 `bucket_id`). */
  readonly bucketId: string;
  /** The selected bucket, materialized on access. */
  readonly bucket: SaltBucket;
}

/**
 * Maps identity bytes to raw UIDs against a salt snapshot (spec/api.md §5.4, spec/internals.md
 * §3.3–3.9): first-level hash, bucket choice, current raw UID (v2/v3 from the current salt,
 * otherwise v4 from the current key material), the previous raw UID while the bucket rotated fewer
 * than 90 whole days ago (previous salt first, then previous key material), and the refresh time
 * (bucket `refreshFrom` if ≥ now, else next UTC midnight).
 *
 * A table from {@link createSaltTable} takes a fast path (precomputed salt bytes, cached AES
 * encryptors); any other {@link SaltSource} works through the string-based functions.
 * Opt-out is not checked here.
 *
 * @param diiHash - identity bytes from `diiHashOf` (32 bytes normally; 31–33 for odd hash inputs).
 * @param source - the salt snapshot.
 * @param options - scope, type, environment, `identityV3` and `nowMs` (epoch ms).
 * @throws SaltError `ERR_SALT_BUCKET_MISSING` if the selected bucket is not loaded,
 *   `ERR_SALT_INVALID_BUCKET` if it has neither a current salt nor usable current key material.
 */
export function mapIdentity(
  diiHash: Uint8Array,
  source: SaltSource,
  options: MapIdentityOptions,
): MappedIdentity {
  return source instanceof CompactSaltTable
    ? mapWithTable(source, diiHash, options)
    : mapWithSource(source, diiHash, options);
}

/**
 * {@link mapIdentity} from an already computed first-level hash: what `/v2/token/refresh` needs,
 * since a refresh token carries the first-level hash, not the DII (spec/internals.md §7.3 step 6).
 * Same bucket choice, raw UID version rules, previous UID and refresh time.
 *
 * @param firstLevelHash - 32 bytes.
 * @throws TypeError when `firstLevelHash` is not 32 bytes.
 * @throws SaltError `ERR_SALT_BUCKET_MISSING`, `ERR_SALT_INVALID_BUCKET` as {@link mapIdentity}.
 */
export function mapFirstLevelHash(
  firstLevelHash: Uint8Array,
  source: SaltSource,
  options: MapIdentityOptions,
): MappedIdentity {
  if (firstLevelHash.length !== 32) throw new TypeError('a first-level hash is 32 bytes');
  const flh = Buffer.from(firstLevelHash);
  return source instanceof CompactSaltTable
    ? mapFlhWithTable(source, flh, options)
    : mapFlhWithSource(source, flh, options);
}

/** One mapped element of a `/v3/identity/map` response array (spec/api.md §7.2). */
export interface V3IdentityMapItem {
  /** Current raw UID, standard base64. */
  readonly u: string;
  /** Previous raw UID, standard base64, or `null` (the key is always present). */
  readonly p: string | null;
  /** Refresh time in epoch **seconds**. */
  readonly r: number;
}

/**
 * The `/v3/identity/map` element `{u, p, r}` of a mapping (spec/api.md §7.2): base64 raw UIDs and
 * `r = floor(refreshFromMs / 1000)` seconds.
 *
 * @param mapped - result of {@link mapIdentity}.
 */
export function toV3IdentityMapItem(mapped: MappedIdentity): V3IdentityMapItem {
  return {
    u: mapped.rawUid.toString('base64'),
    p: mapped.previousRawUid === null ? null : mapped.previousRawUid.toString('base64'),
    r: Math.floor(mapped.refreshFromMs / 1000),
  };
}
