import { randomBytes } from 'node:crypto';
import { createSaltTableFrom, mapIdentity, SaltError, type SaltBucket } from '@uid2-operator/salt-buckets';
import { describe, expect, it } from 'vitest';
import { testBuckets, TEST_FIRST_LEVEL_SALT } from '../test-support/fixture.js';
import { currentRawUidOf } from './current-raw-uid.js';

const NOW = 1_767_225_600_000;
const buckets = testBuckets(8, NOW);
const salts = createSaltTableFrom(TEST_FIRST_LEVEL_SALT, buckets);

/** DII hashes until every bucket kind (salt and key material) has been hit at least once. */
function sampleHashes(count: number): Buffer[] {
  return Array.from({ length: count }, () => randomBytes(32));
}

describe('currentRawUidOf', () => {
  for (const [name, config] of [
    ['v2 (identity_v3 off)', { identityScope: 'UID2', identityV3: false, identityEnvironment: 'test' }],
    ['v3 (identity_v3 on)', { identityScope: 'EUID', identityV3: true, identityEnvironment: 'prod' }],
  ] as const) {
    it(`agrees with mapIdentity for salt and key-material buckets, ${name}`, () => {
      for (const diiHash of sampleHashes(64)) {
        for (const type of ['email', 'phone'] as const) {
          const mapped = mapIdentity(diiHash, salts, {
            scope: config.identityScope,
            type,
            environment: config.identityEnvironment,
            identityV3: config.identityV3,
            nowMs: NOW,
          });
          expect(currentRawUidOf(mapped.firstLevelHash, type, salts, config).equals(mapped.rawUid)).toBe(
            true,
          );
        }
      }
    });
  }

  it('throws SaltError for a bucket with neither a salt nor key material', () => {
    const broken = {
      firstLevelSalt: TEST_FIRST_LEVEL_SALT,
      bucketCount: 1,
      bucket: (): SaltBucket => ({ ...buckets[0]!, currentSalt: null, currentKey: null }),
    };
    const config = { identityScope: 'UID2', identityV3: false, identityEnvironment: 'test' } as const;
    expect(() => currentRawUidOf(randomBytes(32), 'email', broken, config)).toThrow(SaltError);
  });
});
