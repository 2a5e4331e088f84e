import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OptOutError, OptOutIndex, TEST_IDENTITIES, createOptOutPolicy, testIdentityOf } from './index.js';
import type { IdentityScope, OptOutCheck, TestIdentityDii, TestIdentityHash } from './index.js';

/** Stand-in FLHs: any distinct 32-byte values work, the policy only compares bytes. */
const fakeFlh = new Map<TestIdentityDii, Buffer>(TEST_IDENTITIES.map((t) => [t.dii, randomBytes(32)]));
const flhOf = (dii: TestIdentityDii): Buffer => fakeFlh.get(dii)!;
const hashesFor = (scope: IdentityScope): TestIdentityHash[] =>
  TEST_IDENTITIES.map((t) => ({ dii: t.dii, scope, firstLevelHash: flhOf(t.dii) }));

const generate = (type: 'email' | 'phone', scope: IdentityScope = 'UID2'): OptOutCheck => ({
  scope,
  type,
  forRefresh: false,
});
const refresh = (type: 'email' | 'phone', scope: IdentityScope = 'UID2'): OptOutCheck => ({
  scope,
  type,
  forRefresh: true,
});

function indexWithEveryTestIdentity(): OptOutIndex {
  const index = new OptOutIndex();
  for (const t of TEST_IDENTITIES) {
    index.add({
      firstLevelHash: flhOf(t.dii),
      advertisingId: null,
      scope: 'UID2',
      type: t.type,
      optedOutAtSeconds: 1,
    });
  }
  return index;
}

describe('createOptOutPolicy', () => {
  it('lists the six test identities of spec/api.md §5.5 with their types', () => {
    expect(TEST_IDENTITIES.map((t) => `${t.dii}/${t.type}/${t.behaviour}`)).toEqual([
      'optout@example.com/email/always-opted-out',
      '+00000000000/phone/always-opted-out',
      'refresh-optout@example.com/email/opted-out-on-refresh',
      '+00000000002/phone/opted-out-on-refresh',
      'validate@example.com/email/never-opted-out',
      '+12345678901/phone/never-opted-out',
    ]);
    expect(testIdentityOf('validate@example.com')?.behaviour).toBe('never-opted-out');
    expect(testIdentityOf('optout@unifiedid.com')).toBeUndefined();
  });

  it('follows the generate and refresh columns of spec/api.md §5.5 even when the index holds the hashes', () => {
    for (const index of [new OptOutIndex(), indexWithEveryTestIdentity()]) {
      const policy = createOptOutPolicy({ testHashes: hashesFor('UID2'), index });
      for (const t of TEST_IDENTITIES) {
        const atGenerate = policy.isOptedOut(flhOf(t.dii), generate(t.type));
        const atRefresh = policy.isOptedOut(flhOf(t.dii), refresh(t.type));
        switch (t.behaviour) {
          case 'always-opted-out':
            expect([atGenerate, atRefresh]).toEqual([true, true]);
            break;
          case 'opted-out-on-refresh':
            expect([atGenerate, atRefresh]).toEqual([false, true]);
            break;
          case 'never-opted-out':
            expect([atGenerate, atRefresh]).toEqual([false, false]);
            break;
        }
      }
    }
  });

  it('matches test identities on scope and type, and otherwise asks the index', () => {
    const policy = createOptOutPolicy({ testHashes: hashesFor('UID2'), index: new OptOutIndex() });
    expect(policy.isOptedOut(flhOf('optout@example.com'), generate('email', 'EUID'))).toBe(false);
    expect(policy.isOptedOut(flhOf('optout@example.com'), generate('phone'))).toBe(false);
    expect(policy.isOptedOut(flhOf('+00000000000'), generate('phone'))).toBe(true);
    const indexed = indexWithEveryTestIdentity();
    const other = createOptOutPolicy({ testHashes: hashesFor('EUID'), index: indexed });
    // In UID2 the EUID test hashes are ordinary identities, so the index decides.
    expect(other.isOptedOut(flhOf('validate@example.com'), generate('email'))).toBe(true);
    expect(other.isOptedOut(flhOf('validate@example.com'), generate('email', 'EUID'))).toBe(false);
  });

  it('decides ordinary identities by any index record, on generate and refresh alike', () => {
    const index = new OptOutIndex();
    const optedOut = randomBytes(32);
    index.add({
      firstLevelHash: optedOut,
      advertisingId: null,
      scope: 'UID2',
      type: 'email',
      optedOutAtSeconds: 0,
    });
    const policy = createOptOutPolicy({ testHashes: [], index });
    expect(policy.isOptedOut(optedOut, generate('email'))).toBe(true);
    expect(policy.isOptedOut(optedOut, refresh('phone'))).toBe(true);
    expect(policy.isOptedOut(randomBytes(32), refresh('email'))).toBe(false);
  });

  it('applies the precedence refresh-optout, then never, then always when one hash plays several roles', () => {
    const shared = randomBytes(32);
    const policy = createOptOutPolicy({
      testHashes: [
        { dii: 'optout@example.com', scope: 'UID2', firstLevelHash: shared },
        { dii: 'refresh-optout@example.com', scope: 'UID2', firstLevelHash: shared },
      ],
      index: new OptOutIndex(),
    });
    expect(policy.isOptedOut(shared, generate('email'))).toBe(false);
    expect(policy.isOptedOut(shared, refresh('email'))).toBe(true);
    const neverAndAlways = createOptOutPolicy({
      testHashes: [
        { dii: 'optout@example.com', scope: 'UID2', firstLevelHash: shared },
        { dii: 'validate@example.com', scope: 'UID2', firstLevelHash: shared },
      ],
      index: new OptOutIndex(),
    });
    expect(neverAndAlways.isOptedOut(shared, refresh('email'))).toBe(false);
  });

  it('copies the test hashes it is given', () => {
    const flh = Buffer.from(flhOf('optout@example.com'));
    const policy = createOptOutPolicy({
      testHashes: [{ dii: 'optout@example.com', scope: 'UID2', firstLevelHash: flh }],
      index: new OptOutIndex(),
    });
    flh.fill(0);
    expect(policy.isOptedOut(flhOf('optout@example.com'), generate('email'))).toBe(true);
  });

  it('rejects an unknown test identity and a wrong-length hash', () => {
    const index = new OptOutIndex();
    const unknown = {
      dii: 'someone@example.com' as TestIdentityDii,
      scope: 'UID2' as const,
      firstLevelHash: randomBytes(32),
    };
    expect(() => createOptOutPolicy({ testHashes: [unknown], index })).toThrow(OptOutError);
    const short = {
      dii: 'optout@example.com' as const,
      scope: 'UID2' as const,
      firstLevelHash: randomBytes(31),
    };
    expect(() => createOptOutPolicy({ testHashes: [short], index })).toThrow(
      expect.objectContaining({ code: 'ERR_OPTOUT_BAD_HASH', detail: 31 }),
    );
    const policy = createOptOutPolicy({ testHashes: hashesFor('UID2'), index });
    expect(() => policy.isOptedOut(randomBytes(31), generate('email'))).toThrow(
      expect.objectContaining({ code: 'ERR_OPTOUT_BAD_HASH' }),
    );
  });

  it('reports advertising-id opt-outs from the index in seconds', () => {
    const index = new OptOutIndex();
    const adid = randomBytes(33);
    index.add({
      firstLevelHash: randomBytes(32),
      advertisingId: adid,
      scope: 'UID2',
      type: 'email',
      optedOutAtSeconds: 42,
    });
    const policy = createOptOutPolicy({ testHashes: hashesFor('UID2'), index });
    expect(policy.advertisingIdOptedOutSince(adid)).toBe(42);
    expect(policy.advertisingIdOptedOutSince(randomBytes(32))).toBe(-1);
  });
});
