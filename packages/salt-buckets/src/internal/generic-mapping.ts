import { bucketIndexUnchecked } from '../bucket-index.js';
import { firstLevelHash } from '../first-level-hash.js';
import { rawUidV4MetaByte } from '../identity.js';
import type { MapIdentityOptions, MappedIdentity } from '../map-identity.js';
import { rawUidV2, rawUidV3, rawUidV4 } from '../raw-uid.js';
import { effectiveRefreshFromMs, isWithinPreviousUidWindow } from '../refresh-from.js';
import { SaltError } from '../salt-error.js';
import type { KeyMaterial, SaltSource } from '../salt-bucket.js';
import { Mapping } from './mapping-result.js';

function isUsableKey(key: KeyMaterial | null): key is KeyMaterial {
  return !!key && !!key.key && !!key.salt;
}

function uidFrom(
  flh: Buffer,
  salt: string | null,
  key: KeyMaterial | null,
  options: MapIdentityOptions,
): Buffer | null {
  if (salt)
    return options.identityV3 ? rawUidV3(flh, salt, options.scope, options.type) : rawUidV2(flh, salt);
  if (isUsableKey(key))
    return rawUidV4(flh, key, rawUidV4MetaByte(options.scope, options.type, options.environment));
  return null;
}

/** `mapIdentity` against any {@link SaltSource}, using the public string-based functions. */
export function mapWithSource(
  source: SaltSource,
  diiHash: Uint8Array,
  options: MapIdentityOptions,
): MappedIdentity {
  return mapFlhWithSource(source, firstLevelHash(diiHash, source.firstLevelSalt), options);
}

/** The part of {@link mapWithSource} after the first-level hash (refresh starts here). */
export function mapFlhWithSource(
  source: SaltSource,
  flh: Buffer,
  options: MapIdentityOptions,
): MappedIdentity {
  const index = bucketIndexUnchecked(flh, source.bucketCount);
  const bucket = source.bucket(index);
  const rawUid = uidFrom(flh, bucket.currentSalt, bucket.currentKey, options);
  if (rawUid === null) throw new SaltError('ERR_SALT_INVALID_BUCKET', index);
  const previousRawUid = isWithinPreviousUidWindow(bucket.lastUpdatedMs, options.nowMs)
    ? uidFrom(flh, bucket.previousSalt, bucket.previousKey, options)
    : null;
  const refreshFromMs = effectiveRefreshFromMs(bucket.refreshFromMs, options.nowMs);
  return new Mapping(flh, rawUid, previousRawUid, refreshFromMs, index, source);
}
