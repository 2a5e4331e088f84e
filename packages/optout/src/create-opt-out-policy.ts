import type { IdentityScope, IdentityType } from './identity.js';
import { OptOutError } from './optout-error.js';
import { FIRST_LEVEL_HASH_BYTES, assertFirstLevelHash, assertHashAt } from './opt-out-record.js';
import { testIdentityOf } from './test-identities.js';
import type { TestIdentityBehaviour, TestIdentityDii } from './test-identities.js';

/**
 * First-level hash of one test identity in one scope, computed by the caller:
 * `firstLevelHash(sha256(dii), firstLevelSalt)` (spec/internals.md §3.3). This package does not hash.
 */
export interface TestIdentityHash {
  readonly dii: TestIdentityDii;
  readonly scope: IdentityScope;
  /** 32 bytes. */
  readonly firstLevelHash: Uint8Array;
}

/** What the policy needs from an index: `OptOutIndex` satisfies it. */
export interface OptOutLookup {
  isOptedOut(firstLevelHash: Uint8Array): boolean;
  /**
   * Optional fast path: {@link OptOutLookup.isOptedOut} of the 32 bytes at `offset` of `bytes`,
   * without a subarray. When absent the policy falls back to `isOptedOut(subarray)`.
   */
  isOptedOutAt?(bytes: Uint8Array, offset: number): boolean;
  advertisingIdOptedOutSince(rawUid: Uint8Array): number;
}

/** Where an opt-out check happens: identity scope and DII type, and whether it is a token refresh. */
export interface OptOutCheck {
  readonly scope: IdentityScope;
  readonly type: IdentityType;
  /** True on `/v2/token/refresh`; false on generate, CSTG and identity map. */
  readonly forRefresh: boolean;
}

/** The opt-out decision of spec/api.md §5.5, see {@link createOptOutPolicy}. */
export interface OptOutPolicy {
  /**
   * True when the identity must be answered with `optout`. Throws `OptOutError`
   * `ERR_OPTOUT_BAD_HASH` unless `firstLevelHash` is 32 bytes.
   */
  isOptedOut(firstLevelHash: Uint8Array, check: OptOutCheck): boolean;
  /**
   * {@link OptOutPolicy.isOptedOut} of the 32-byte first-level hash at `offset` of `bytes` (a batch
   * of hashes side by side), without allocating a subarray per id. Same answers. Throws
   * `OptOutError` `ERR_OPTOUT_BAD_HASH` unless `bytes[offset, offset + 32)` lies inside `bytes`.
   */
  isOptedOutAt(bytes: Uint8Array, offset: number, check: OptOutCheck): boolean;
  /** `/v2/optout/status` lookup: earliest opt-out in epoch **seconds**, or -1 (spec/api.md §8). */
  advertisingIdOptedOutSince(rawUid: Uint8Array): number;
}

interface CompiledTestHash {
  readonly word: number;
  readonly hash: Uint8Array;
  readonly scope: IdentityScope;
  readonly type: IdentityType;
  readonly behaviour: TestIdentityBehaviour;
}

/**
 * Builds the opt-out decision of spec/api.md §5.5 / spec/internals.md §6.1–6.2. Test identities are
 * matched on (scope, type, first-level hash), so raw and hashed DII both match, with this precedence:
 * on refresh an `'opted-out-on-refresh'` identity is opted out; otherwise `'never-opted-out'` and
 * `'opted-out-on-refresh'` identities are not (the index is not asked); otherwise
 * `'always-opted-out'` identities are; otherwise the index decides (any record for the FLH, no
 * comparison with the token's established time).
 *
 * Throws `OptOutError` `ERR_OPTOUT_BAD_TEST_IDENTITY` for a `dii` outside `TEST_IDENTITIES` and
 * `ERR_OPTOUT_BAD_HASH` for a hash that is not 32 bytes. Hashes are copied.
 */
export function createOptOutPolicy(options: {
  readonly testHashes: readonly TestIdentityHash[];
  readonly index: OptOutLookup;
}): OptOutPolicy {
  const { index } = options;
  const tests: CompiledTestHash[] = options.testHashes.map((entry) => {
    const identity = testIdentityOf(entry.dii);
    if (identity === undefined) throw new OptOutError('ERR_OPTOUT_BAD_TEST_IDENTITY');
    assertFirstLevelHash(entry.firstLevelHash);
    const hash = Uint8Array.from(entry.firstLevelHash);
    return {
      word: firstWord(hash),
      hash,
      scope: entry.scope,
      type: identity.type,
      behaviour: identity.behaviour,
    };
  });

  const testWords = Uint32Array.from(tests, (test) => test.word);

  /** Behaviour bits of the test identities matching the 32 bytes at `offset` (0 when none). */
  function testBehaviours(flh: Uint8Array, offset: number, check: OptOutCheck): number {
    const word = firstWord(flh, offset);
    let found = 0;
    for (let t = 0; t < testWords.length; t++) {
      if (testWords[t] !== word) continue;
      const test = tests[t]!;
      if (test.scope === check.scope && test.type === check.type && sameBytes(test.hash, flh, offset)) {
        found |= BEHAVIOUR_BIT[test.behaviour];
      }
    }
    return found;
  }

  function decide(found: number, check: OptOutCheck): boolean {
    if (check.forRefresh && (found & REFRESH) !== 0) return true;
    return (found & (NEVER | REFRESH)) === 0;
  }

  return {
    isOptedOut(firstLevelHash, check) {
      assertFirstLevelHash(firstLevelHash);
      const found = tests.length === 0 ? 0 : testBehaviours(firstLevelHash, 0, check);
      if (found !== 0) return decide(found, check);
      return index.isOptedOut(firstLevelHash);
    },
    isOptedOutAt(bytes, offset, check) {
      assertHashAt(bytes, offset);
      const found = tests.length === 0 ? 0 : testBehaviours(bytes, offset, check);
      if (found !== 0) return decide(found, check);
      return index.isOptedOutAt !== undefined
        ? index.isOptedOutAt(bytes, offset)
        : index.isOptedOut(bytes.subarray(offset, offset + FIRST_LEVEL_HASH_BYTES));
    },
    advertisingIdOptedOutSince(rawUid) {
      return index.advertisingIdOptedOutSince(rawUid);
    },
  };
}

const ALWAYS = 1;
const REFRESH = 2;
const NEVER = 4;
const BEHAVIOUR_BIT: Readonly<Record<TestIdentityBehaviour, number>> = {
  'always-opted-out': ALWAYS,
  'opted-out-on-refresh': REFRESH,
  'never-opted-out': NEVER,
};

function firstWord(bytes: Uint8Array, offset = 0): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array, offset: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[offset + i]) return false;
  return true;
}
