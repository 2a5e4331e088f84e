import { expect, it } from 'vitest';
import type { OptOutRecord } from '../opt-out-record.js';
import type { OptOutStore } from '../opt-out-store.js';
import { conformanceHash, conformanceRecord, recordView } from './conformance-records.js';
import { registerScanCases } from './conformance-scan-cases.js';

const T0 = 1_700_000_000;

/** Registers the write and lookup cases; the scan cases live in `conformance-scan-cases.ts`. */
export function registerConformanceCases(store: () => OptOutStore, timeoutMs: number | undefined): void {
  it(
    'starts empty',
    async () => {
      const s = store();
      expect(await s.count()).toBe(0);
      expect(await s.scan({ limit: 10 })).toEqual({ records: [], cursor: null });
      expect(await s.has(conformanceHash(1, 1), 'UID2')).toBe(false);
      expect(await s.optedOutSince(conformanceRecord(1, 1, T0).advertisingId!)).toBe(-1);
    },
    timeoutMs,
  );

  it(
    'resolves add to the number of new records and finds each one in its scope only',
    async () => {
      const s = store();
      const records = [
        conformanceRecord(1, 1, T0),
        conformanceRecord(2, 2, T0 + 1, { scope: 'EUID', type: 'phone' }),
      ];
      expect(await s.add(records)).toBe(2);
      expect(await s.has(records[0]!.firstLevelHash, 'UID2')).toBe(true);
      expect(await s.has(records[0]!.firstLevelHash, 'EUID')).toBe(false);
      expect(await s.has(records[1]!.firstLevelHash, 'EUID')).toBe(true);
      expect(await s.has(records[1]!.firstLevelHash, 'UID2')).toBe(false);
      expect(await s.has(conformanceHash(3, 3), 'UID2')).toBe(false);
    },
    timeoutMs,
  );

  it(
    'keeps one record with the earliest time when the same hash and scope are added again',
    async () => {
      const s = store();
      expect(await s.add([conformanceRecord(1, 1, T0 + 100)])).toBe(1);
      expect(await s.add([conformanceRecord(1, 1, T0 + 500)])).toBe(0);
      expect(await s.add([conformanceRecord(1, 1, T0 + 50)])).toBe(0);
      expect(await s.count()).toBe(1);
      const { records } = await s.scan({ limit: 10 });
      expect(records.map(recordView)).toEqual([recordView(conformanceRecord(1, 1, T0 + 50))]);
    },
    timeoutMs,
  );

  it(
    'stores the same hash in both scopes as two records',
    async () => {
      const s = store();
      expect(
        await s.add([conformanceRecord(1, 1, T0), conformanceRecord(1, 1, T0 + 1, { scope: 'EUID' })]),
      ).toBe(2);
      expect(await s.count()).toBe(2);
      expect(await s.count('UID2')).toBe(1);
      expect(await s.count('EUID')).toBe(1);
    },
    timeoutMs,
  );

  it(
    'counts duplicates inside one batch once and keeps their earliest time',
    async () => {
      const s = store();
      const batch = [
        conformanceRecord(1, 1, T0 + 9),
        conformanceRecord(1, 1, T0 + 3),
        conformanceRecord(1, 1, T0 + 7),
      ];
      expect(await s.add(batch)).toBe(1);
      const { records } = await s.scan({ limit: 10 });
      expect(records.map((r) => r.optedOutAtSeconds)).toEqual([T0 + 3]);
    },
    timeoutMs,
  );

  it(
    'adds nothing for an empty batch',
    async () => {
      const s = store();
      expect(await s.add([])).toBe(0);
      expect(await s.count()).toBe(0);
    },
    timeoutMs,
  );

  it(
    'returns the earliest time over every record with an advertising id, in any scope',
    async () => {
      const s = store();
      const shared = { adidSeed: 77 } as const;
      await s.add([
        conformanceRecord(1, 1, T0 + 30, shared),
        conformanceRecord(2, 2, T0 + 10, { ...shared, scope: 'EUID' }),
        conformanceRecord(3, 3, T0 + 20, shared),
        conformanceRecord(4, 4, T0 + 5),
      ]);
      expect(await s.optedOutSince(conformanceRecord(0, 0, 0, shared).advertisingId!)).toBe(T0 + 10);
      expect(await s.optedOutSince(conformanceRecord(4, 4, 0).advertisingId!)).toBe(T0 + 5);
      expect(await s.optedOutSince(conformanceRecord(9, 9, 0).advertisingId!)).toBe(-1);
    },
    timeoutMs,
  );

  it(
    'matches advertising ids on their exact bytes, 32 or 33 long',
    async () => {
      const s = store();
      await s.add([
        conformanceRecord(1, 1, T0, { adidLength: 32 }),
        conformanceRecord(2, 2, T0 + 1, { adidLength: 33 }),
      ]);
      expect(await s.optedOutSince(conformanceRecord(1, 1, 0, { adidLength: 32 }).advertisingId!)).toBe(T0);
      expect(await s.optedOutSince(conformanceRecord(2, 2, 0, { adidLength: 33 }).advertisingId!)).toBe(
        T0 + 1,
      );
    },
    timeoutMs,
  );

  it(
    'lowers the advertising id time when a later add lowers the record time',
    async () => {
      const s = store();
      await s.add([conformanceRecord(1, 1, T0 + 100)]);
      await s.add([conformanceRecord(1, 1, T0 + 40)]);
      expect(await s.optedOutSince(conformanceRecord(1, 1, 0).advertisingId!)).toBe(T0 + 40);
    },
    timeoutMs,
  );

  it(
    'fills a missing advertising id from a later record and otherwise keeps the stored one and the type',
    async () => {
      const s = store();
      await s.add([
        conformanceRecord(1, 1, T0, { adidLength: 0 }),
        conformanceRecord(2, 2, T0, { adidSeed: 5 }),
      ]);
      expect(await s.optedOutSince(conformanceRecord(1, 1, 0).advertisingId!)).toBe(-1);
      await s.add([
        conformanceRecord(1, 1, T0 + 1),
        conformanceRecord(2, 2, T0 + 1, { adidSeed: 6, type: 'phone' }),
      ]);
      expect(await s.optedOutSince(conformanceRecord(1, 1, 0).advertisingId!)).toBe(T0);
      expect(await s.optedOutSince(conformanceRecord(2, 2, 0, { adidSeed: 5 }).advertisingId!)).toBe(T0);
      expect(await s.optedOutSince(conformanceRecord(2, 2, 0, { adidSeed: 6 }).advertisingId!)).toBe(-1);
      const { records } = await s.scan({ limit: 10 });
      expect(records.map(recordView)).toEqual([
        recordView(conformanceRecord(1, 1, T0)),
        recordView(conformanceRecord(2, 2, T0, { adidSeed: 5 })),
      ]);
    },
    timeoutMs,
  );

  it(
    'rejects a batch with an invalid record and stores none of it',
    async () => {
      const s = store();
      const good = conformanceRecord(1, 1, T0);
      const bad: OptOutRecord[] = [
        { ...good, firstLevelHash: Buffer.alloc(31) },
        { ...good, firstLevelHash: Buffer.alloc(33) },
        { ...good, advertisingId: Buffer.alloc(20) },
        { ...good, scope: 'ID5' as never },
        { ...good, type: 'fax' as never },
        { ...good, optedOutAtSeconds: -1 },
        { ...good, optedOutAtSeconds: 1.5 },
        { ...good, optedOutAtSeconds: 2 ** 32 },
        { ...good, optedOutAtSeconds: Number.NaN },
      ];
      for (const record of bad) {
        await expect(s.add([conformanceRecord(2, 2, T0), record])).rejects.toThrow();
      }
      expect(await s.count()).toBe(0);
    },
    timeoutMs,
  );

  it(
    'stores the extreme times 0 and 2^32 - 1',
    async () => {
      const s = store();
      await s.add([conformanceRecord(1, 1, 0), conformanceRecord(2, 2, 0xffff_ffff)]);
      const { records } = await s.scan({ limit: 10 });
      expect(records.map((r) => r.optedOutAtSeconds)).toEqual([0, 0xffff_ffff]);
      expect(await s.optedOutSince(conformanceRecord(2, 2, 0).advertisingId!)).toBe(0xffff_ffff);
    },
    timeoutMs,
  );

  it(
    'rejects lookups with a hash or advertising id of the wrong length',
    async () => {
      const s = store();
      await expect(s.has(Buffer.alloc(31), 'UID2')).rejects.toThrow();
      await expect(s.optedOutSince(Buffer.alloc(31))).rejects.toThrow();
      await expect(s.optedOutSince(Buffer.alloc(34))).rejects.toThrow();
    },
    timeoutMs,
  );

  it(
    'is not affected by later changes to the buffers the caller passed in',
    async () => {
      const s = store();
      const record = conformanceRecord(1, 1, T0);
      const expected = recordView(record);
      await s.add([record]);
      record.firstLevelHash.fill(0xee);
      record.advertisingId!.fill(0xee);
      const { records } = await s.scan({ limit: 10 });
      expect(records.map(recordView)).toEqual([expected]);
    },
    timeoutMs,
  );

  registerScanCases(store, timeoutMs);
}
