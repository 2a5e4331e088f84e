import { expect, it } from 'vitest';
import type { OptOutStore } from '../opt-out-store.js';
import { conformanceRecord, recordView, scanAll } from './conformance-records.js';

const T0 = 1_700_000_000;

/** Registers the `scan` and `count` cases of the conformance suite. */
export function registerScanCases(store: () => OptOutStore, timeoutMs: number | undefined): void {
  it(
    'returns every field as stored, with 32- and 33-byte and missing advertising ids',
    async () => {
      const s = store();
      const records = [
        conformanceRecord(1, 1, T0, { adidLength: 32, type: 'phone' }),
        conformanceRecord(2, 2, T0 + 1, { adidLength: 33, scope: 'EUID' }),
        conformanceRecord(3, 3, T0 + 2, { adidLength: 0 }),
      ];
      await s.add(records);
      const page = await s.scan({ limit: 10 });
      expect(page.cursor).toBeNull();
      expect(page.records.map(recordView)).toEqual(records.map(recordView));
    },
    timeoutMs,
  );

  it(
    'orders by first-level hash as unsigned bytes',
    async () => {
      const s = store();
      const firsts = [0xff, 0x00, 0x80, 0x7f, 0x01, 0xfe];
      await s.add(firsts.map((first, i) => conformanceRecord(first, i, T0 + i)));
      const { records } = await s.scan({ limit: 100 });
      expect(records.map((r) => r.firstLevelHash[0])).toEqual([0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff]);
    },
    timeoutMs,
  );

  it(
    'puts a hash recorded in both scopes on consecutive positions in a stable order',
    async () => {
      const s = store();
      await s.add([
        conformanceRecord(5, 5, T0, { scope: 'EUID' }),
        conformanceRecord(5, 5, T0, { scope: 'UID2' }),
        conformanceRecord(6, 6, T0),
        conformanceRecord(4, 4, T0),
      ]);
      const whole = (await s.scan({ limit: 100 })).records.map(recordView);
      expect(whole.map((r) => (r.firstLevelHash as string).slice(0, 2))).toEqual(['04', '05', '05', '06']);
      for (const limit of [1, 2, 3]) expect((await scanAll(s, limit)).records.map(recordView)).toEqual(whole);
    },
    timeoutMs,
  );

  it(
    'pages concatenate to the whole scan without duplicates and the last cursor is null',
    async () => {
      const s = store();
      await s.add(Array.from({ length: 13 }, (_, i) => conformanceRecord((i * 37) & 0xff, i, T0 + i)));
      const whole = (await s.scan({ limit: 1000 })).records.map(recordView);
      expect(whole).toHaveLength(13);
      for (const limit of [1, 4, 5, 13, 14]) {
        const { records, pages } = await scanAll(s, limit);
        expect(records.map(recordView)).toEqual(whole);
        expect(pages).toBe(Math.ceil(13 / limit));
      }
    },
    timeoutMs,
  );

  it(
    'returns a null cursor on a full page when no record follows it',
    async () => {
      const s = store();
      await s.add(Array.from({ length: 10 }, (_, i) => conformanceRecord(i, i, T0)));
      const first = await s.scan({ limit: 5 });
      expect(first.records).toHaveLength(5);
      expect(first.cursor).not.toBeNull();
      const second = await s.scan({ afterCursor: first.cursor, limit: 5 });
      expect(second.records).toHaveLength(5);
      expect(second.cursor).toBeNull();
    },
    timeoutMs,
  );

  it(
    'filters a scan by scope, across pages',
    async () => {
      const s = store();
      await s.add(
        Array.from({ length: 12 }, (_, i) =>
          conformanceRecord(i * 20, i, T0 + i, { scope: i % 3 === 0 ? 'EUID' : 'UID2' }),
        ),
      );
      const euid = await scanAll(s, 2, 'EUID');
      expect(euid.records.map((r) => r.firstLevelHash[0])).toEqual([0, 60, 120, 180]);
      expect(euid.pages).toBe(2);
      const uid2 = await scanAll(s, 3, 'UID2');
      expect(uid2.records).toHaveLength(8);
      expect(uid2.records.every((r) => r.scope === 'UID2')).toBe(true);
    },
    timeoutMs,
  );

  it(
    'shows a record added after a cursor was issued only when it sorts after the cursor',
    async () => {
      const s = store();
      await s.add([
        conformanceRecord(0x10, 1, T0),
        conformanceRecord(0x20, 2, T0),
        conformanceRecord(0x30, 3, T0),
      ]);
      const first = await s.scan({ limit: 2 });
      await s.add([conformanceRecord(0x05, 4, T0), conformanceRecord(0x25, 5, T0)]);
      const rest = await s.scan({ afterCursor: first.cursor, limit: 10 });
      expect(rest.records.map((r) => r.firstLevelHash[0])).toEqual([0x25, 0x30]);
      expect(rest.cursor).toBeNull();
    },
    timeoutMs,
  );

  it(
    'counts every record or only one scope',
    async () => {
      const s = store();
      await s.add([
        conformanceRecord(1, 1, T0),
        conformanceRecord(2, 2, T0, { scope: 'EUID' }),
        conformanceRecord(3, 3, T0),
      ]);
      expect(await s.count()).toBe(3);
      expect(await s.count('UID2')).toBe(2);
      expect(await s.count('EUID')).toBe(1);
    },
    timeoutMs,
  );

  it(
    'rejects a scan limit that is not a positive integer',
    async () => {
      const s = store();
      for (const limit of [0, -1, 1.5, Number.NaN]) await expect(s.scan({ limit })).rejects.toThrow();
    },
    timeoutMs,
  );

  it(
    'rejects a cursor it did not produce',
    async () => {
      const s = store();
      await s.add([conformanceRecord(1, 1, T0)]);
      await expect(s.scan({ afterCursor: 'not a cursor', limit: 1 })).rejects.toThrow();
    },
    timeoutMs,
  );
}
