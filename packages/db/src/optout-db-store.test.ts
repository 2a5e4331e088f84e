import { describeOptOutStoreConformance } from '@uid2-operator/optout/testing';
import { OptOutIndex, type OptOutRecord } from '@uid2-operator/optout';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './open-database.js';
import type { OptOutSnapshotInfo } from './optout-db-store.js';
import { createTestEngine, engineNames, rawQuery, resetDatabase } from './test-support/test-database.js';
import type { TestEngine } from './test-support/test-database.js';

const T0 = 1_700_000_000;

function record(seed: number, seconds: number, extra: Partial<OptOutRecord> = {}): OptOutRecord {
  return {
    firstLevelHash: Buffer.alloc(32, seed),
    advertisingId: Buffer.alloc(33, seed + 100),
    scope: 'UID2',
    type: 'email',
    optedOutAtSeconds: seconds,
    ...extra,
  };
}

const firstByte = (records: readonly OptOutRecord[]): number[] =>
  records.map((r) => r.firstLevelHash[0] ?? -1);

describe.each(engineNames())('OptOutDbStore on %s', (engineName) => {
  let engine: TestEngine;
  let db: Database;

  beforeAll(async () => {
    engine = await createTestEngine(engineName);
    db = await engine.open({ gapGraceMs: 400 });
  });
  afterAll(async () => {
    await db?.close();
    await engine?.dispose();
  });

  describeOptOutStoreConformance(engineName, async () => {
    await resetDatabase(db);
    return { store: db.optouts, cleanup: () => Promise.resolve() };
  });

  describe('index snapshots', () => {
    const chunksOf = (...sizes: number[]): Buffer[] =>
      sizes.map((size, i) => Buffer.alloc(size, i + 1).fill(0xa5, 0, Math.min(size, 3)));
    /** Empties the store, then writes `count` opt-outs (sequence numbers 1 … count). */
    const withRecords = async (count: number): Promise<void> => {
      await resetDatabase(db);
      await db.optouts.add(Array.from({ length: count }, (_, i) => record(i + 1, T0)));
    };
    const readAll = async (info: OptOutSnapshotInfo): Promise<Buffer> => {
      const parts: Uint8Array[] = [];
      for await (const part of db.optouts.readSnapshot(info)) parts.push(part);
      return Buffer.concat(parts);
    };

    it('stores parts in order and hands back the newest complete snapshot byte for byte', async () => {
      await withRecords(42);
      expect(await db.optouts.latestSnapshot()).toBeNull();
      const chunks = chunksOf(70_000, 5, 300_000, 1);
      async function* slowly(): AsyncGenerator<Uint8Array> {
        for (const chunk of chunks) yield await Promise.resolve(chunk);
      }
      const saved = await db.optouts.saveSnapshot({ throughSeq: 42, entries: 7, chunks: slowly() });
      expect(saved).toMatchObject({ throughSeq: 42, entries: 7, parts: 4, bytes: 370_006 });
      const latest = await db.optouts.latestSnapshot();
      expect(latest).toEqual(saved);
      expect(Math.abs(latest!.createdMs - Date.now())).toBeLessThan(60_000);
      expect((await readAll(latest!)).equals(Buffer.concat(chunks))).toBe(true);
    });

    it('keeps the two newest complete snapshots; a reader of a deleted one gets ERR_DB_NOT_FOUND', async () => {
      await withRecords(3);
      const first = await db.optouts.saveSnapshot({ throughSeq: 1, entries: 1, chunks: chunksOf(10, 10) });
      await db.optouts.saveSnapshot({ throughSeq: 2, entries: 2, chunks: chunksOf(10) });
      expect((await readAll(first!)).length).toBe(20);
      const third = await db.optouts.saveSnapshot({ throughSeq: 3, entries: 3, chunks: chunksOf(10) });
      expect(await db.optouts.latestSnapshot()).toEqual(third);
      const [kept] = await rawQuery<{ n: number }>(db, 'SELECT count(*)::int AS n FROM optout_snapshots');
      expect(kept?.n).toBe(2);
      await expect(readAll(first!)).rejects.toMatchObject({ code: 'ERR_DB_NOT_FOUND' });
      expect(await db.optouts.deleteSnapshots()).toBe(2);
      expect(await db.optouts.latestSnapshot()).toBeNull();
      expect(await db.optouts.count()).toBe(3);
    });

    it('ignores a snapshot that claims more records than the store holds (emptied or restored since)', async () => {
      await withRecords(2);
      await db.optouts.saveSnapshot({ throughSeq: 2, entries: 2, chunks: chunksOf(10) });
      const ahead = await db.optouts.saveSnapshot({ throughSeq: 5, entries: 5, chunks: chunksOf(10) });
      expect((await db.optouts.latestSnapshot())?.throughSeq).toBe(2);
      await db.optouts.add([record(50, T0), record(51, T0), record(52, T0)]);
      expect(await db.optouts.latestSnapshot()).toEqual(ahead);
    });

    it('skips the write while another one is in progress, and drops a failed write', async () => {
      await withRecords(6);
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield await Promise.resolve(Buffer.alloc(100, 1));
        throw new Error('index changed');
      }
      await expect(db.optouts.saveSnapshot({ throughSeq: 5, entries: 5, chunks: failing() })).rejects.toThrow(
        'index changed',
      );
      const [parts] = await rawQuery<{ n: number }>(
        db,
        'SELECT count(*)::int AS n FROM optout_snapshot_parts',
      );
      expect(parts?.n).toBe(0);
      expect(await db.optouts.latestSnapshot()).toBeNull();
      // An unfinished write of another process (no parts yet, not complete).
      await rawQuery(db, 'INSERT INTO optout_snapshots (through_seq, entries) VALUES (9, 9)');
      expect(await db.optouts.saveSnapshot({ throughSeq: 6, entries: 6, chunks: chunksOf(1) })).toBeNull();
      const written = await db.optouts.saveSnapshot({
        throughSeq: 6,
        entries: 6,
        chunks: chunksOf(1),
        busyWithinMs: 0,
      });
      expect(written).toMatchObject({ throughSeq: 6, parts: 1 });
      const [left] = await rawQuery<{ n: number }>(db, 'SELECT count(*)::int AS n FROM optout_snapshots');
      expect(left?.n).toBe(1);
    });

    it('rebuilds the snapshot from every record: one entry per first-level hash, loadable as an index', async () => {
      await resetDatabase(db);
      await db.optouts.add([record(1, T0), record(2, T0 + 5), record(1, T0, { scope: 'EUID' })]);
      await db.optouts.add([record(3, T0, { advertisingId: null })]);
      const info = await db.optouts.rebuildSnapshot();
      expect(info).toMatchObject({ entries: 3, throughSeq: 4 });
      const index = await OptOutIndex.fromSnapshot(db.optouts.readSnapshot(info));
      expect(index.optedOutSince(record(2, 0).firstLevelHash)).toBe(T0 + 5);
      expect(index.advertisingIdOptedOutSince(record(1, 0).advertisingId!)).toBe(T0);
      expect(index.isOptedOut(record(3, 0).firstLevelHash)).toBe(true);
      expect(index.isOptedOut(record(4, 0).firstLevelHash)).toBe(false);
    });

    it('refuses a negative or fractional cursor with ERR_DB_INVALID_INPUT', async () => {
      for (const throughSeq of [-1, 1.5, Number.NaN]) {
        await expect(db.optouts.saveSnapshot({ throughSeq, entries: 0, chunks: [] })).rejects.toMatchObject({
          code: 'ERR_DB_INVALID_INPUT',
        });
      }
    });
  });

  describe('scanSince', () => {
    it('returns records in write order, page by page, then nothing new', async () => {
      await resetDatabase(db);
      await db.optouts.add([record(3, T0)]);
      await db.optouts.add([record(1, T0)]);
      await db.optouts.add([record(2, T0)]);
      const first = await db.optouts.scanSince(null, { limit: 2 });
      expect(firstByte(first.records)).toEqual([3, 1]);
      expect(first.more).toBe(true);
      const second = await db.optouts.scanSince(first.cursor, { limit: 2 });
      expect(firstByte(second.records)).toEqual([2]);
      expect(second.more).toBe(false);
      expect(await db.optouts.scanSince(second.cursor)).toEqual({
        records: [],
        cursor: second.cursor,
        more: false,
      });
    });

    it('returns a record again when a later add lowers its time, and not for a plain duplicate', async () => {
      await resetDatabase(db);
      await db.optouts.add([record(1, T0 + 10)]);
      const { cursor } = await db.optouts.scanSince(null);
      await db.optouts.add([record(1, T0 + 20)]);
      expect((await db.optouts.scanSince(cursor)).records).toEqual([]);
      await db.optouts.add([record(1, T0 + 5)]);
      const again = await db.optouts.scanSince(cursor);
      expect(again.records.map((r) => r.optedOutAtSeconds)).toEqual([T0 + 5]);
    });

    it('logs one change per add that changed something', async () => {
      await resetDatabase(db);
      const cursor = await db.changes.currentCursor();
      await db.optouts.add([record(1, T0), record(2, T0)]);
      await db.optouts.add([record(1, T0)]);
      const { entries } = await db.changes.readSince(cursor);
      expect(entries.map((entry) => [entry.entity, entry.op])).toEqual([['optout', 'insert']]);
    });

    it('passes a hole left by a rolled-back write, at the latest after the grace period', async () => {
      await resetDatabase(db);
      await rawQuery(db, `SELECT nextval('optouts_seq_seq')`);
      await db.optouts.add([record(7, T0)]);
      // At once when no transaction runs anywhere on the server; other databases' transactions
      // (parallel test files) make the reader wait for the grace period (400 ms here) instead.
      let seen: number[] = [];
      for (let attempt = 0; attempt < 50 && seen.length === 0; attempt++) {
        seen = firstByte((await db.optouts.scanSince(null)).records);
        if (seen.length === 0) await new Promise((done) => setTimeout(done, 100));
      }
      expect(seen).toEqual([7]);
    });

    it('rejects a bad limit', async () => {
      await expect(db.optouts.scanSince(null, { limit: 0 })).rejects.toMatchObject({
        code: 'ERR_OPTOUT_BAD_LIMIT',
      });
    });

    it.runIf(engineName === 'postgres')(
      'waits for a concurrent transaction that took an earlier sequence number, until it commits or the grace period ends',
      async () => {
        await resetDatabase(db);
        const other = new pg.Client({ connectionString: engine.url });
        await other.connect();
        try {
          await other.query('BEGIN');
          await other.query('SELECT pg_current_xact_id()');
          await other.query(
            `INSERT INTO optouts (first_level_hash, scope, identity_type, opted_out_at) VALUES ($1, 0, 0, $2)`,
            [Buffer.alloc(32, 1), T0],
          );
          await db.optouts.add([record(2, T0)]);
          const blocked = await db.optouts.scanSince(null);
          expect(blocked.records).toEqual([]);
          expect(blocked.cursor).toBe(0);
          await other.query('COMMIT');
          expect(firstByte((await db.optouts.scanSince(null)).records)).toEqual([1, 2]);

          await other.query('BEGIN');
          await other.query('SELECT pg_current_xact_id()');
          await other.query(
            `INSERT INTO optouts (first_level_hash, scope, identity_type, opted_out_at) VALUES ($1, 0, 0, $2)`,
            [Buffer.alloc(32, 3), T0],
          );
          await db.optouts.add([record(4, T0)]);
          const { cursor } = await db.optouts.scanSince(null, { limit: 2 });
          expect((await db.optouts.scanSince(cursor)).records).toEqual([]);
          await new Promise((resolve) => setTimeout(resolve, 600));
          // Past the grace period the gap is presumed abandoned (the documented trade-off).
          expect(firstByte((await db.optouts.scanSince(cursor)).records)).toEqual([4]);
          await other.query('ROLLBACK');
        } finally {
          await other.end();
        }
      },
    );
  });
});
