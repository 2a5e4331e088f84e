import { describe, expect, it } from 'vitest';
import type { HashedIdentities } from './hash-batch.js';
import { joinV3JsonRuns, v3ItemsJson, v3ItemsText, v3ResponseJson } from './map-v3-json.js';

const U = 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=';
const P = 'Aam+/9zz0000000000000000000000000000000000=';

function hashed(rows: readonly { u: string | null; p: string | null; r: number }[]): HashedIdentities {
  return {
    count: rows.length,
    firstLevelHashes: new Uint8Array(rows.length * 32),
    rawUids: rows.map((row) => row.u),
    previousRawUids: rows.map((row) => row.p),
    refreshFromMs: Float64Array.from(rows, (row) => row.r),
    bucketIds: [],
  };
}

/** What the route built before: objects, then `JSON.stringify`. */
function viaObjects(h: HashedIdentities, optedOut: (i: number) => boolean): unknown[] {
  return Array.from({ length: h.count }, (_, i) => {
    const u = h.rawUids[i] ?? null;
    if (u === null) return { e: 'invalid identifier' };
    if (optedOut(i)) return { e: 'optout' };
    return { u, p: h.previousRawUids[i] ?? null, r: Math.floor((h.refreshFromMs[i] ?? 0) / 1000) };
  });
}

describe('v3ItemsJson', () => {
  it('is byte-identical to JSON.stringify of the item objects for every kind of item', () => {
    const h = hashed([
      { u: U, p: null, r: 1_780_000_000_999 },
      { u: null, p: null, r: 0 },
      { u: U, p: P, r: 1_780_000_000_000 },
      { u: U, p: P, r: 0 },
      { u: U, p: null, r: -1 },
      { u: P, p: U, r: 2 ** 52 },
    ]);
    const optedOut = (i: number): boolean => i === 3;
    expect(v3ItemsJson(h, optedOut)).toBe(JSON.stringify(viaObjects(h, optedOut)));
  });

  it('writes an empty array for no identifiers and never asks about invalid ones', () => {
    expect(v3ItemsJson(hashed([]), () => true)).toBe('[]');
    const asked: number[] = [];
    v3ItemsJson(
      hashed([
        { u: null, p: null, r: 0 },
        { u: U, p: null, r: 0 },
      ]),
      (i) => {
        asked.push(i);
        return false;
      },
    );
    expect(asked).toEqual([1]);
  });
});

describe('v3ResponseJson', () => {
  it('matches JSON.stringify of the whole success answer', () => {
    const arrays = [
      '[]',
      v3ItemsJson(hashed([{ u: U, p: P, r: 5000 }]), () => false),
      '[]',
      '[{"e":"optout"}]',
    ] as const;
    const body = {
      body: {
        email: JSON.parse(arrays[0]) as unknown,
        email_hash: JSON.parse(arrays[1]) as unknown,
        phone: JSON.parse(arrays[2]) as unknown,
        phone_hash: JSON.parse(arrays[3]) as unknown,
      },
      status: 'success',
    };
    expect(v3ResponseJson(arrays)).toBe(JSON.stringify(body));
  });
});

describe('joinV3JsonRuns', () => {
  it('joins runs (skipping empty ones) into the items of the whole input', () => {
    const h1 = hashed([{ u: U, p: null, r: 1_000 }]);
    const h2 = hashed([
      { u: null, p: null, r: 0 },
      { u: U, p: P, r: 2_000 },
    ]);
    const none = (): boolean => false;
    const runs = [
      { count: 0, json: '' },
      { count: 1, json: v3ItemsText(h1, none) },
      { count: 0, json: '' },
      { count: 2, json: v3ItemsText(h2, none) },
    ];
    const joined = joinV3JsonRuns(runs);
    expect(joined.count).toBe(3);
    expect(`[${joined.json}]`).toBe(
      JSON.stringify([{ u: U, p: null, r: 1 }, { e: 'invalid identifier' }, { u: U, p: P, r: 2 }]),
    );
    expect(joinV3JsonRuns([])).toEqual({ count: 0, json: '' });
    expect(joinV3JsonRuns([{ count: 0, json: '' }, { count: 0, json: '' }])).toEqual({ count: 0, json: '' });
  });
});
