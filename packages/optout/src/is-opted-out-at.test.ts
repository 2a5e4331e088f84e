import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OptOutError, OptOutIndex, TEST_IDENTITIES, createOptOutPolicy } from './index.js';
import type { OptOutCheck, OptOutLookup, TestIdentityHash } from './index.js';

const COUNT = 400;

/** `COUNT` hashes side by side after a 5-byte lead-in; every third one is opted out. */
function fixture(): { batch: Buffer; index: OptOutIndex; testHashes: TestIdentityHash[] } {
  const batch = Buffer.concat([randomBytes(5), randomBytes(COUNT * 32)]);
  const index = new OptOutIndex();
  for (let i = 0; i < COUNT; i += 3) {
    const flh = batch.subarray(5 + i * 32, 5 + (i + 1) * 32);
    index.add({ firstLevelHash: flh, advertisingId: null, scope: 'UID2', type: 'email', optedOutAtSeconds: 7 });
  }
  // Test identities reuse hashes of the batch, so their precedence over the index is exercised.
  const testHashes = TEST_IDENTITIES.map((t, k) => ({
    dii: t.dii,
    scope: 'UID2' as const,
    firstLevelHash: Uint8Array.from(batch.subarray(5 + k * 32, 5 + (k + 1) * 32)),
  }));
  return { batch, index, testHashes };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof OptOutError) return error.code;
    throw error;
  }
  return undefined;
}

describe('isOptedOutAt', () => {
  it('gives the index answer of the subarray at every offset', () => {
    const { batch, index } = fixture();
    for (let i = 0; i < COUNT; i++) {
      const at = 5 + i * 32;
      expect(index.isOptedOutAt(batch, at)).toBe(index.isOptedOut(batch.subarray(at, at + 32)));
      expect(index.isOptedOutAt(batch, at)).toBe(i % 3 === 0);
    }
  });

  it('gives the policy answer of the subarray for every check, with and without the index fast path', () => {
    const { batch, index, testHashes } = fixture();
    const plain: OptOutLookup = {
      isOptedOut: (flh) => index.isOptedOut(flh),
      advertisingIdOptedOutSince: (rawUid) => index.advertisingIdOptedOutSince(rawUid),
    };
    for (const lookup of [index, plain]) {
      const policy = createOptOutPolicy({ testHashes, index: lookup });
      for (const type of ['email', 'phone'] as const) {
        for (const forRefresh of [false, true]) {
          const check: OptOutCheck = { scope: 'UID2', type, forRefresh };
          for (let i = 0; i < COUNT; i++) {
            const at = 5 + i * 32;
            expect(policy.isOptedOutAt(batch, at, check)).toBe(policy.isOptedOut(batch.subarray(at, at + 32), check));
          }
        }
      }
    }
  });

  it('rejects offsets whose 32 bytes do not lie inside the buffer', () => {
    const { batch, index, testHashes } = fixture();
    const policy = createOptOutPolicy({ testHashes, index });
    const check: OptOutCheck = { scope: 'UID2', type: 'email', forRefresh: false };
    for (const offset of [-1, 0.5, batch.length - 31, batch.length, Number.NaN]) {
      expect(codeOf(() => index.isOptedOutAt(batch, offset))).toBe('ERR_OPTOUT_BAD_HASH');
      expect(codeOf(() => policy.isOptedOutAt(batch, offset, check))).toBe('ERR_OPTOUT_BAD_HASH');
    }
    expect(codeOf(() => index.isOptedOutAt('x' as unknown as Uint8Array, 0))).toBe('ERR_OPTOUT_BAD_HASH');
    expect(index.isOptedOutAt(batch, batch.length - 32)).toBe(index.isOptedOut(batch.subarray(-32)));
  });
});
