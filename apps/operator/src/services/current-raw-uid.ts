import {
  bucketIndex,
  rawUidV2,
  rawUidV3,
  rawUidV4,
  rawUidV4MetaByte,
  SaltError,
  type IdentityType,
  type SaltSource,
} from '@uid2-operator/salt-buckets';
import type { OperatorConfig } from '../config.js';

/**
 * The current raw UID of a first-level hash against the current salts (spec/api.md §5.4,
 * spec/internals.md §3.4–3.8): v2 (32 bytes) or, with `identity_v3`, v3 (33 bytes) from the
 * bucket's current salt, else v4 (33 bytes) from its current key material.
 *
 * `mapIdentity` starts from the DII hash; a refresh only has the first-level hash carried by the
 * refresh token (spec/internals.md §7.3 step 6), so the bucket is looked up from it directly.
 *
 * @param firstLevelHash 32 bytes
 * @throws SaltError `ERR_SALT_BUCKET_MISSING` (bucket not loaded) or `ERR_SALT_INVALID_BUCKET`
 *   (neither a current salt nor current key material); TypeError when the hash is not 32 bytes
 */
export function currentRawUidOf(
  firstLevelHash: Uint8Array,
  type: IdentityType,
  salts: SaltSource,
  config: Pick<OperatorConfig, 'identityScope' | 'identityV3' | 'identityEnvironment'>,
): Buffer {
  const index = bucketIndex(firstLevelHash, salts.bucketCount);
  const bucket = salts.bucket(index);
  const scope = config.identityScope;
  if (bucket.currentSalt !== null && bucket.currentSalt !== '') {
    return config.identityV3
      ? rawUidV3(firstLevelHash, bucket.currentSalt, scope, type)
      : rawUidV2(firstLevelHash, bucket.currentSalt);
  }
  const key = bucket.currentKey;
  if (key !== null && key.key !== '' && key.salt !== '') {
    return rawUidV4(firstLevelHash, key, rawUidV4MetaByte(scope, type, config.identityEnvironment));
  }
  throw new SaltError('ERR_SALT_INVALID_BUCKET', index);
}
