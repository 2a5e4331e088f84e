import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PRODUCTION_BUCKET_COUNT, bucketIndex } from './bucket-index.js';
import { createFirstLevelHasher, firstLevelHash } from './first-level-hash.js';

const SALT = 'fOGY/aRE44peL23i+cE9MkJrzmEeNZZziNZBfq7qqk8=';

describe('createFirstLevelHasher', () => {
  it('agrees with firstLevelHash for 32-byte and other identity lengths', () => {
    const hasher = createFirstLevelHasher(SALT);
    for (const length of [31, 32, 33, 0]) {
      for (let n = 0; n < 50; n++) {
        const dii = hash('sha512', `${length}-${n}`, 'buffer').subarray(0, length);
        expect(hasher(dii)).toEqual(firstLevelHash(dii, SALT));
      }
    }
  });

  it('hashes a non-ASCII salt as UTF-8 text', () => {
    const dii = hash('sha256', 'x', 'buffer');
    expect(createFirstLevelHasher('sél')(dii)).toEqual(
      hash('sha256', `${dii.toString('base64')}sél`, 'buffer'),
    );
  });
});

describe('bucketIndex', () => {
  it('uses the low nibble of byte 2 and the modulo rule for other table sizes', () => {
    const flh = Buffer.from([0xab, 0xcd, 0xef, 0x00]);
    expect(bucketIndex(flh, PRODUCTION_BUCKET_COUNT)).toBe(0xabcdf);
    expect(bucketIndex(flh, 1000)).toBe(0xabcdf % 1000);
    expect(bucketIndex(flh, 2_097_152)).toBe(0xabcdf);
  });

  it('rejects a short hash or a bad bucket count', () => {
    expect(() => bucketIndex(Buffer.alloc(2), 5)).toThrow(TypeError);
    expect(() => bucketIndex(Buffer.alloc(32), 0)).toThrow(TypeError);
    expect(() => bucketIndex(Buffer.alloc(32), 2.5)).toThrow(TypeError);
  });
});
