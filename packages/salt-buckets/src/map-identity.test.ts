import { createCipheriv, hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bucketIndex } from './bucket-index.js';
import { firstLevelHash } from './first-level-hash.js';
import { rawUidV4MetaByte } from './identity.js';
import type { MapIdentityOptions } from './map-identity.js';
import { mapFirstLevelHash, mapIdentity, toV3IdentityMapItem } from './map-identity.js';
import { rawUidV2, rawUidV4 } from './raw-uid.js';
import { DAY_MS } from './refresh-from.js';
import { SaltError } from './salt-error.js';
import type { SaltBucket, SaltSource } from './salt-bucket.js';
import { createSaltTable, createSaltTableFrom } from './salt-table.js';

const FIRST_LEVEL_SALT = 'fOGY/aRE44peL23i+cE9MkJrzmEeNZZziNZBfq7qqk8=';
const NOW = 1_800_000_000_000;
const OPTIONS: MapIdentityOptions = {
  scope: 'UID2',
  type: 'email',
  environment: 'prod',
  identityV3: false,
  nowMs: NOW,
};

function diiHash(n: number): Buffer {
  return hash('sha256', `person${n}@example.com`, 'buffer');
}

function key(n: number): string {
  return `key${String(n).padStart(29, '0')}`;
}

/** Buckets covering every material combination, with salts of varied lengths. */
function mixedBuckets(count: number): SaltBucket[] {
  return Array.from({ length: count }, (_, index) => {
    const kind = index % 5;
    return {
      index,
      bucketId: `id${index}`,
      lastUpdatedMs: NOW - (index % 3) * 60 * DAY_MS,
      refreshFromMs: NOW + (index % 2 === 0 ? DAY_MS : -DAY_MS),
      currentSalt: kind < 2 ? `current-${index}-${'s'.repeat(index % 50)}` : null,
      previousSalt: kind === 0 || kind === 3 ? `previous-${index}-${'p'.repeat(index % 300)}` : null,
      currentKey: kind >= 2 ? { id: 100 + (index % 4), key: key(index % 4), salt: `ks-${index}` } : null,
      previousKey:
        kind === 1 || kind === 4 ? { id: 200 + index, key: key(index), salt: `pks-${index}` } : null,
    };
  });
}

describe('mapIdentity', () => {
  const buckets = mixedBuckets(37);
  const table = createSaltTableFrom(FIRST_LEVEL_SALT, buckets);
  const plain: SaltSource = { firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 37, bucket: (i) => buckets[i]! };

  it('gives the same results on the compact table and on a plain salt source', () => {
    for (const identityV3 of [false, true]) {
      for (let n = 0; n < 400; n++) {
        const options = { ...OPTIONS, identityV3, type: n % 2 === 0 ? 'email' : 'phone' } as const;
        const fast = mapIdentity(diiHash(n), table, options);
        const slow = mapIdentity(diiHash(n), plain, options);
        expect(fast.rawUid).toEqual(slow.rawUid);
        expect(fast.previousRawUid).toEqual(slow.previousRawUid);
        expect(fast.refreshFromMs).toBe(slow.refreshFromMs);
        expect(fast.bucketIndex).toBe(slow.bucketIndex);
        expect(fast.bucketId).toBe(slow.bucketId);
        expect(fast.bucket).toEqual(slow.bucket);
      }
    }
  });

  it('matches an AES-256-CTR reference for v4 raw UIDs even when key ids are reused with different keys', () => {
    const shared: SaltBucket[] = [0, 1].map((index) => ({
      index,
      bucketId: `b${index}`,
      lastUpdatedMs: NOW,
      refreshFromMs: NOW,
      currentSalt: null,
      previousSalt: null,
      currentKey: { id: 7, key: key(index), salt: 'same-id-different-key' },
      previousKey: null,
    }));
    const sharedTable = createSaltTableFrom(FIRST_LEVEL_SALT, shared);
    for (let n = 0; n < 60; n++) {
      const dii = diiHash(n);
      const flh = firstLevelHash(dii, FIRST_LEVEL_SALT);
      const material = shared[bucketIndex(flh, 2)]!.currentKey!;
      const meta = rawUidV4MetaByte('UID2', 'email', 'prod');
      const got = mapIdentity(dii, sharedTable, OPTIONS).rawUid;
      expect(got).toEqual(rawUidV4(flh, material, meta));
      const iv = got.subarray(4, 16);
      const ctr = createCipheriv(
        'aes-256-ctr',
        Buffer.from(material.key),
        Buffer.concat([iv, Buffer.alloc(4)]),
      );
      expect(got.subarray(16, 32)).toEqual(ctr.update(flh.subarray(16)));
    }
  });

  it('keeps the FLH text when a longer previous salt grows the scratch buffer', () => {
    const long: SaltBucket = {
      index: 0,
      bucketId: 'b',
      lastUpdatedMs: NOW,
      refreshFromMs: NOW,
      currentSalt: 'short',
      previousSalt: 'L'.repeat(5000),
      currentKey: null,
      previousKey: null,
    };
    const mapped = mapIdentity(diiHash(1), createSaltTableFrom(FIRST_LEVEL_SALT, [long]), OPTIONS);
    const flh = firstLevelHash(diiHash(1), FIRST_LEVEL_SALT);
    expect(mapped.previousRawUid).toEqual(rawUidV2(flh, 'L'.repeat(5000)));
  });

  it('reports the previous raw UID up to 89 whole days after a rotation and not from day 90', () => {
    const at = (lastUpdatedMs: number): Buffer | null => {
      const bucket: SaltBucket = { ...mixedBuckets(1)[0]!, lastUpdatedMs };
      return mapIdentity(diiHash(3), createSaltTableFrom(FIRST_LEVEL_SALT, [bucket]), OPTIONS).previousRawUid;
    };
    expect(at(NOW - 90 * DAY_MS + 1)).not.toBeNull();
    expect(at(NOW - 90 * DAY_MS)).toBeNull();
    expect(at(NOW + 5 * DAY_MS)).not.toBeNull();
  });

  it('uses the bucket refresh time when it is now or later, else the next UTC midnight', () => {
    const at = (refreshFromMs: number): number => {
      const bucket: SaltBucket = { ...mixedBuckets(1)[0]!, refreshFromMs };
      return mapIdentity(diiHash(3), createSaltTableFrom(FIRST_LEVEL_SALT, [bucket]), OPTIONS).refreshFromMs;
    };
    expect(at(NOW)).toBe(NOW);
    expect(at(NOW - 1)).toBe(Math.floor(NOW / DAY_MS) * DAY_MS + DAY_MS);
  });

  it('maps identity bytes that are not 32 bytes long through the base64 text', () => {
    const odd = Buffer.alloc(33, 0);
    expect(mapIdentity(odd, table, OPTIONS).firstLevelHash).toEqual(
      hash('sha256', `${'A'.repeat(44)}${FIRST_LEVEL_SALT}`, 'buffer'),
    );
  });

  it('throws ERR_SALT_BUCKET_MISSING on a partly loaded table', () => {
    const partial = createSaltTable({ firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 1_048_576 });
    expect(() => mapIdentity(diiHash(1), partial, OPTIONS)).toThrow(SaltError);
  });

  it('throws ERR_SALT_INVALID_BUCKET when a plain source bucket has no current material', () => {
    const empty: SaltSource = {
      firstLevelSalt: FIRST_LEVEL_SALT,
      bucketCount: 1,
      bucket: () => ({ ...mixedBuckets(1)[0]!, currentSalt: null, currentKey: { id: 1, key: '', salt: '' } }),
    };
    expect(() => mapIdentity(diiHash(1), empty, OPTIONS)).toThrow(
      expect.objectContaining({ code: 'ERR_SALT_INVALID_BUCKET' }),
    );
  });
});

describe('toV3IdentityMapItem', () => {
  it('encodes raw UIDs as base64 and the refresh time in whole seconds', () => {
    const item = toV3IdentityMapItem({
      firstLevelHash: Buffer.alloc(32),
      rawUid: Buffer.alloc(32, 1),
      previousRawUid: null,
      refreshFromMs: 1_700_000_000_999,
      bucketIndex: 0,
      bucketId: 'b',
      bucket: mixedBuckets(1)[0]!,
    });
    expect(item).toEqual({ u: Buffer.alloc(32, 1).toString('base64'), p: null, r: 1_700_000_000 });
  });
});

describe('mapFirstLevelHash', () => {
  const buckets = mixedBuckets(37);
  const table = createSaltTableFrom(FIRST_LEVEL_SALT, buckets);
  const plain: SaltSource = { firstLevelSalt: FIRST_LEVEL_SALT, bucketCount: 37, bucket: (i) => buckets[i]! };

  it('maps a first-level hash exactly as mapIdentity maps the DII it came from, on both sources', () => {
    for (const identityV3 of [false, true]) {
      for (let n = 0; n < 200; n++) {
        const options = { ...OPTIONS, identityV3, type: n % 2 === 0 ? 'email' : 'phone' } as const;
        const expected = mapIdentity(diiHash(n), table, options);
        for (const source of [table, plain]) {
          const mapped = mapFirstLevelHash(expected.firstLevelHash, source, options);
          expect(mapped.rawUid.equals(expected.rawUid)).toBe(true);
          expect(mapped.previousRawUid?.toString('hex')).toBe(expected.previousRawUid?.toString('hex'));
          expect(mapped.refreshFromMs).toBe(expected.refreshFromMs);
          expect(mapped.bucketIndex).toBe(expected.bucketIndex);
        }
      }
    }
  });

  it('refuses a first-level hash that is not 32 bytes', () => {
    expect(() => mapFirstLevelHash(Buffer.alloc(31), table, OPTIONS)).toThrow(TypeError);
  });
});
