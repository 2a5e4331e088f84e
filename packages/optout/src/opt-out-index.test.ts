import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OptOutError, OptOutIndex } from './index.js';
import type { OptOutRecord } from './index.js';

const T0 = 1_700_000_000;

function record(flh: Uint8Array, seconds: number, extra: Partial<OptOutRecord> = {}): OptOutRecord {
  return {
    firstLevelHash: flh,
    advertisingId: null,
    scope: 'UID2',
    type: 'email',
    optedOutAtSeconds: seconds,
    ...extra,
  };
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

describe('OptOutIndex', () => {
  it('answers opted out with the earliest time for an added hash and -1 otherwise', () => {
    const index = new OptOutIndex();
    const flh = randomBytes(32);
    expect(index.isOptedOut(flh)).toBe(false);
    expect(index.optedOutSince(flh)).toBe(-1);
    expect(index.add(record(flh, T0 + 10))).toBe(true);
    expect(index.add(record(flh, T0 + 20))).toBe(false);
    expect(index.add(record(Buffer.from(flh), T0 + 5))).toBe(false);
    expect(index.isOptedOut(flh)).toBe(true);
    expect(index.optedOutSince(flh)).toBe(T0 + 5);
    expect(index.size).toBe(1);
    expect(index.isOptedOut(randomBytes(32))).toBe(false);
  });

  it('treats an opt-out at second 0 as opted out', () => {
    const index = new OptOutIndex();
    const flh = randomBytes(32);
    index.add(record(flh, 0));
    expect(index.isOptedOut(flh)).toBe(true);
    expect(index.optedOutSince(flh)).toBe(0);
  });

  it('handles hashes whose fingerprint bytes are all zero', () => {
    const index = new OptOutIndex();
    const zero = Buffer.alloc(32);
    const one = Buffer.alloc(32);
    one[21] = 1;
    index.add(record(zero, T0));
    expect(index.isOptedOut(zero)).toBe(true);
    expect(index.isOptedOut(Buffer.alloc(32, 0xff))).toBe(false);
    index.add(record(Buffer.alloc(32, 0xff), T0 + 1));
    expect(index.optedOutSince(Buffer.alloc(32, 0xff))).toBe(T0 + 1);
    // hi 0 is stored as 1, so these two collide by design (probability 2^-56 for real hashes).
    expect(index.isOptedOut(one)).toBe(true);
  });

  it('matches advertising ids on their last 32 bytes and keeps the earliest time per id', () => {
    const index = new OptOutIndex();
    const v3 = Buffer.concat([Buffer.from([0x00]), randomBytes(32)]);
    index.add(record(randomBytes(32), T0 + 30, { advertisingId: v3 }));
    index.add(record(randomBytes(32), T0 + 10, { advertisingId: v3.subarray(1) }));
    expect(index.advertisingIdOptedOutSince(v3)).toBe(T0 + 10);
    expect(index.advertisingIdOptedOutSince(v3.subarray(1))).toBe(T0 + 10);
    expect(index.advertisingIdOptedOutSince(randomBytes(33))).toBe(-1);
    expect(index.advertisingIdCount).toBe(1);
    expect(index.size).toBe(2);
  });

  it('skips records of the other scope when built for one scope', () => {
    const index = new OptOutIndex({ scope: 'EUID' });
    const uid2 = randomBytes(32);
    const euid = randomBytes(32);
    expect(index.scope).toBe('EUID');
    expect(index.add(record(uid2, T0, { advertisingId: randomBytes(32) }))).toBe(false);
    expect(index.add(record(euid, T0, { scope: 'EUID' }))).toBe(true);
    expect(index.isOptedOut(uid2)).toBe(false);
    expect(index.isOptedOut(euid)).toBe(true);
    expect(index.advertisingIdCount).toBe(0);
  });

  it('keeps every scope when built without one', () => {
    const index = new OptOutIndex();
    index.add(record(randomBytes(32), T0, { scope: 'EUID', type: 'phone' }));
    index.add(record(randomBytes(32), T0));
    expect(index.scope).toBeUndefined();
    expect(index.size).toBe(2);
  });

  it('rejects invalid records with their error code and changes nothing', () => {
    const index = new OptOutIndex();
    const flh = randomBytes(32);
    const cases: [Partial<OptOutRecord>, string][] = [
      [{ firstLevelHash: randomBytes(31) }, 'ERR_OPTOUT_BAD_HASH'],
      [{ advertisingId: randomBytes(31) }, 'ERR_OPTOUT_BAD_ADVERTISING_ID'],
      [{ scope: 'uid2' as never }, 'ERR_OPTOUT_BAD_SCOPE'],
      [{ type: 'mail' as never }, 'ERR_OPTOUT_BAD_TYPE'],
      [{ optedOutAtSeconds: -1 }, 'ERR_OPTOUT_BAD_TIMESTAMP'],
      [{ optedOutAtSeconds: 2 ** 32 }, 'ERR_OPTOUT_BAD_TIMESTAMP'],
    ];
    for (const [bad, code] of cases) expect(codeOf(() => index.add(record(flh, T0, bad)))).toBe(code);
    expect(index.size).toBe(0);
    expect(index.advertisingIdCount).toBe(0);
  });

  it('rejects lookups with a wrong-length key', () => {
    const index = new OptOutIndex();
    expect(codeOf(() => index.isOptedOut(randomBytes(33)))).toBe('ERR_OPTOUT_BAD_HASH');
    expect(codeOf(() => index.optedOutSince(randomBytes(16)))).toBe('ERR_OPTOUT_BAD_HASH');
    expect(codeOf(() => index.advertisingIdOptedOutSince(randomBytes(34)))).toBe(
      'ERR_OPTOUT_BAD_ADVERTISING_ID',
    );
    expect(codeOf(() => index.isOptedOut('x'.repeat(32) as never))).toBe('ERR_OPTOUT_BAD_HASH');
  });

  it('builds from a sync iterable of records and batches', async () => {
    const records = Array.from({ length: 50 }, (_, i) => record(randomBytes(32), T0 + i));
    const index = await OptOutIndex.fromRecords([
      records.slice(0, 20),
      ...records.slice(20, 30),
      records.slice(30),
    ]);
    expect(index.size).toBe(50);
    for (const r of records) expect(index.optedOutSince(r.firstLevelHash)).toBe(r.optedOutAtSeconds);
  });

  it('builds from an async iterable and keeps accepting incremental adds', async () => {
    const records = Array.from({ length: 30 }, (_, i) => record(randomBytes(32), T0 + i));
    async function* pages(): AsyncGenerator<OptOutRecord[] | OptOutRecord> {
      yield records.slice(0, 10);
      await Promise.resolve();
      yield records[10]!;
      yield records.slice(11);
    }
    const index = await OptOutIndex.fromRecords(pages(), { scope: 'UID2' });
    expect(index.size).toBe(30);
    const later = randomBytes(32);
    expect(index.addAll([record(later, T0), record(records[0]!.firstLevelHash, T0)])).toBe(1);
    expect(await index.addFrom([record(randomBytes(32), T0)])).toBe(1);
    expect(index.size).toBe(32);
    expect(index.optedOutSince(records[0]!.firstLevelHash)).toBe(T0);
  });

  it('finds every one of 200,000 random opt-outs, reports no random miss, and stays under 40 bytes per entry', () => {
    const n = 200_000;
    const keys = randomBytes(n * 65);
    const index = new OptOutIndex();
    for (let i = 0; i < n; i++) {
      const o = i * 65;
      index.add(
        record(keys.subarray(o, o + 32), T0 + (i % 1000), { advertisingId: keys.subarray(o + 32, o + 65) }),
      );
    }
    expect(index.size).toBe(n);
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const o = i * 65;
      if (index.optedOutSince(keys.subarray(o, o + 32)) !== T0 + (i % 1000)) wrong++;
      if (index.advertisingIdOptedOutSince(keys.subarray(o + 32, o + 65)) !== T0 + (i % 1000)) wrong++;
    }
    expect(wrong).toBe(0);
    const misses = randomBytes(32 * 20_000);
    let falsePositives = 0;
    for (let i = 0; i < 20_000; i++)
      if (index.isOptedOut(misses.subarray(i * 32, i * 32 + 32))) falsePositives++;
    expect(falsePositives).toBe(0);
    expect(index.memoryBytes() / n).toBeLessThan(40);
  });
});
