import { describe, expect, it } from 'vitest';
import type { HashedIdentities } from './hash-batch.js';
import { joinV3JsonRuns, v3ItemsJson, v3ItemsText, v3ResponseBytes, type V3JsonRun } from './map-v3-json.js';

const run = (count: number, text: string): V3JsonRun => ({ count, json: Buffer.from(text) });

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

describe('v3ResponseBytes', () => {
  it('matches JSON.stringify of the whole success answer', () => {
    const runs = [
      run(0, ''),
      run(
        1,
        v3ItemsText(hashed([{ u: U, p: P, r: 5000 }]), () => false),
      ),
      run(0, ''),
      run(2, '{"e":"optout"},{"e":"invalid identifier"}'),
    ] as const;
    const body = {
      body: {
        email: [],
        email_hash: [{ u: U, p: P, r: 5 }],
        phone: [],
        phone_hash: [{ e: 'optout' }, { e: 'invalid identifier' }],
      },
      status: 'success',
    };
    expect(v3ResponseBytes(runs).toString('utf8')).toBe(JSON.stringify(body));
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
    const runs = [run(0, ''), run(1, v3ItemsText(h1, none)), run(0, ''), run(2, v3ItemsText(h2, none))];
    const joined = joinV3JsonRuns(runs);
    expect(joined.count).toBe(3);
    expect(`[${Buffer.from(joined.json).toString()}]`).toBe(
      JSON.stringify([{ u: U, p: null, r: 1 }, { e: 'invalid identifier' }, { u: U, p: P, r: 2 }]),
    );
    expect(joinV3JsonRuns([])).toMatchObject({ count: 0, json: { length: 0 } });
    expect(joinV3JsonRuns([run(0, ''), run(0, '')])).toMatchObject({ count: 0, json: { length: 0 } });
  });
});
