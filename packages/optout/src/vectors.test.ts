import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OptOutIndex, TEST_IDENTITIES, createOptOutPolicy, testIdentityOf } from './index.js';
import type { IdentityScope, IdentityType, TestIdentityHash } from './index.js';

interface FlhVector {
  title: string;
  input: {
    identityScope: IdentityScope;
    identityType: IdentityType;
    normalizedDii?: string;
    diiHashBase64?: string;
    firstLevelSalt: string;
  };
  expected: {
    firstLevelHashBase64: string;
    rawUidV2Hex?: string;
    rawUidV3Hex?: string;
    rawUidV4?: Record<string, { hex: string }>;
    rawUidV4Hex?: string;
  };
}

interface NormalizationVector {
  title: string;
  input: { identityType: IdentityType; inputForm: 'raw' | 'hash'; value: string };
  expected: { valid: boolean; normalized?: string };
  notes?: string;
}

function load<T>(name: string): T[] {
  const url = new URL(`../test-vectors/${name}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { vectors: T[] }).vectors;
}

const flhVectors = load<FlhVector>('first-level-hash-and-raw-uid.json');
const normalizationVectors = load<NormalizationVector>('normalization.json');

/** FLH from the base64 DII hash (spec/internals.md §3.3): SHA-256(base64 text ‖ salt text). */
function firstLevelHashFromDiiHash(diiHashBase64: string, firstLevelSalt: string): Buffer {
  return hash('sha256', diiHashBase64 + firstLevelSalt, 'buffer');
}

/** What the operator does to get `testHashes` (spec/internals.md §3.2–3.3); this package does not hash. */
function firstLevelHashOf(normalizedDii: string, firstLevelSalt: string): Buffer {
  return firstLevelHashFromDiiHash(hash('sha256', normalizedDii, 'base64'), firstLevelSalt);
}

const testHashesFor = (scope: IdentityScope, salt: string): TestIdentityHash[] =>
  TEST_IDENTITIES.map((t) => ({ dii: t.dii, scope, firstLevelHash: firstLevelHashOf(t.dii, salt) }));

/** Every raw UID a vector lists (v2, v3, v4 per environment). */
function rawUidsOf(v: FlhVector): Buffer[] {
  const hexes = [v.expected.rawUidV2Hex, v.expected.rawUidV3Hex, v.expected.rawUidV4Hex];
  for (const env of Object.values(v.expected.rawUidV4 ?? {})) hexes.push(env.hex);
  return hexes.filter((h) => h !== undefined).map((h) => Buffer.from(h, 'hex'));
}

describe('first-level-hash-and-raw-uid.json vectors', () => {
  it('has 21 vectors', () => {
    expect(flhVectors.length).toBe(21);
  });

  it.each(flhVectors.map((v) => [v.title, v] as const))('%s: opt-out decision', (_title, v) => {
    const flh = Buffer.from(v.expected.firstLevelHashBase64, 'base64');
    const {
      identityScope: scope,
      identityType: type,
      normalizedDii,
      diiHashBase64,
      firstLevelSalt: salt,
    } = v.input;
    const recomputed =
      normalizedDii === undefined
        ? firstLevelHashFromDiiHash(diiHashBase64!, salt)
        : firstLevelHashOf(normalizedDii, salt);
    expect(recomputed.equals(flh)).toBe(true);

    const empty = createOptOutPolicy({ testHashes: testHashesFor(scope, salt), index: new OptOutIndex() });
    const index = new OptOutIndex();
    index.add({ firstLevelHash: flh, advertisingId: null, scope, type, optedOutAtSeconds: 1_700_000_000 });
    const stored = createOptOutPolicy({ testHashes: testHashesFor(scope, salt), index });
    const decisions = [false, true].flatMap((forRefresh) =>
      [empty, stored].map((p) => p.isOptedOut(flh, { scope, type, forRefresh })),
    );

    const identity = normalizedDii === undefined ? undefined : testIdentityOf(normalizedDii);
    if (identity === undefined || identity.type !== type) {
      // [generate empty, generate stored, refresh empty, refresh stored]
      expect(decisions).toEqual([false, true, false, true]);
      return;
    }
    switch (identity.behaviour) {
      case 'always-opted-out':
        expect(decisions).toEqual([true, true, true, true]);
        break;
      case 'opted-out-on-refresh':
        expect(decisions).toEqual([false, false, true, true]);
        break;
      case 'never-opted-out':
        expect(decisions).toEqual([false, false, false, false]);
        break;
    }
  });

  it.each(flhVectors.map((v) => [v.title, v] as const))(
    '%s: advertising ids found on their last 32 bytes',
    (_title, v) => {
      const index = new OptOutIndex();
      const flh = Buffer.from(v.expected.firstLevelHashBase64, 'base64');
      const uids = rawUidsOf(v);
      expect(uids.length).toBeGreaterThan(0);
      uids.forEach((uid, i) => {
        expect(uid.length === 32 || uid.length === 33).toBe(true);
        index.add({
          firstLevelHash: flh,
          advertisingId: uid,
          scope: 'UID2',
          type: 'email',
          optedOutAtSeconds: 100 + i,
        });
      });
      for (const uid of uids) {
        const sameTail = uids.map((other, i) =>
          other.subarray(-32).equals(uid.subarray(-32)) ? 100 + i : Infinity,
        );
        expect(index.advertisingIdOptedOutSince(uid)).toBe(Math.min(...sameTail));
      }
      expect(index.optedOutSince(flh)).toBe(100);
    },
  );

  it('cover every test identity in UID2', () => {
    const covered = flhVectors
      .filter((v) => v.input.identityScope === 'UID2')
      .map((v) => v.input.normalizedDii);
    for (const t of TEST_IDENTITIES) expect(covered).toContain(t.dii);
  });
});

describe('normalization.json vectors', () => {
  const noted = normalizationVectors.filter((v) => v.notes?.startsWith('Operator test identity') === true);

  it('mark five vectors as operator test identities', () => {
    expect(noted).toHaveLength(5);
  });

  it.each(noted.map((v) => [v.title, v] as const))('%s: note agrees with TEST_IDENTITIES', (_title, v) => {
    const identity = testIdentityOf(v.expected.normalized!);
    expect(identity?.type).toBe(v.input.identityType);
    const note = v.notes!;
    const expected = note.includes('always opted out')
      ? 'always-opted-out'
      : note.includes('never opted out')
        ? 'never-opted-out'
        : note.includes('refresh returns optout')
          ? 'opted-out-on-refresh'
          : 'unknown note';
    expect(identity?.behaviour).toBe(expected);
  });

  it.each(TEST_IDENTITIES.map((t) => [t.dii, t] as const))('%s is already normalized', (dii, t) => {
    const vector = normalizationVectors.find((v) => v.input.inputForm === 'raw' && v.input.value === dii);
    expect(vector?.input.identityType).toBe(t.type);
    expect(vector?.expected).toMatchObject({ valid: true, normalized: dii });
  });
});
