import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeHint } from './change-feed.js';
import type { Database } from './open-database.js';
import { createTestEngine, engineNames, NOW_MS, resetDatabase } from './test-support/test-database.js';
import type { TestEngine } from './test-support/test-database.js';

/** Collects hints and lets a test wait for one that matches. */
function collector() {
  const hints: ChangeHint[] = [];
  const waiters: { match: (hint: ChangeHint) => boolean; resolve: () => void }[] = [];
  return {
    hints,
    listener: (hint: ChangeHint): void => {
      hints.push(hint);
      for (const waiter of waiters.filter((w) => w.match(hint))) waiter.resolve();
    },
    waitFor(match: (hint: ChangeHint) => boolean, timeoutMs = 5000): Promise<void> {
      if (hints.some(match)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching change notification')), timeoutMs);
        waiters.push({ match, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

describe.each(engineNames())('ChangeFeed on %s', (engineName) => {
  let engine: TestEngine;
  let db: Database;

  beforeAll(async () => {
    engine = await createTestEngine(engineName);
    db = await engine.open({ gapGraceMs: 300 });
  });
  afterAll(async () => {
    await db?.close();
    await engine?.dispose();
  });
  beforeEach(() => resetDatabase(db));

  it('reads entries written by the triggers in order, with the key of single-row writes', async () => {
    const start = await db.changes.currentCursor();
    await db.sites.create({ id: 10, name: 'a', nowMs: NOW_MS });
    await db.keysets.create({ keysetId: 3, siteId: 10, nowMs: NOW_MS });
    await db.keysets.create({ keysetId: 4, siteId: 11, nowMs: NOW_MS });
    const page = await db.changes.readSince(start);
    expect(page.entries.map((e) => [e.entity, e.entityKey, e.op])).toEqual([
      ['site', '10', 'insert'],
      ['keyset', '3', 'insert'],
      ['keyset', '4', 'insert'],
    ]);
    expect(page.entries[0]!.createdAtMs).toBeGreaterThan(0);
    expect(page.more).toBe(false);
    expect(await db.changes.currentCursor()).toBe(page.cursor);
    const first = await db.changes.readSince(start, { limit: 1 });
    expect(first.entries).toHaveLength(1);
    expect(first.more).toBe(true);
    expect((await db.changes.readSince(page.cursor)).entries).toEqual([]);
  });

  it('notifies subscribers after commit, first with a catch-up hint', async () => {
    const seen = collector();
    const unsubscribe = db.changes.subscribe(seen.listener);
    try {
      await seen.waitFor((hint) => hint.id === null);
      await db.sites.create({ id: 20, name: 'b', nowMs: NOW_MS });
      await seen.waitFor((hint) => hint.entity === 'site');
      const broken = db.changes.subscribe(() => {
        throw new Error('a failing subscriber');
      });
      await db.optouts.add([
        {
          firstLevelHash: Buffer.alloc(32, 1),
          advertisingId: null,
          scope: 'UID2',
          type: 'email',
          optedOutAtSeconds: 1,
        },
      ]);
      await seen.waitFor((hint) => hint.entity === 'optout');
      broken();
    } finally {
      unsubscribe();
    }
  });

  it.runIf(engineName === 'postgres')(
    'delivers a write made through a second Database instance',
    async () => {
      const second = await engine.open();
      const seen = collector();
      const unsubscribe = db.changes.subscribe(seen.listener);
      try {
        await seen.waitFor((hint) => hint.id === null);
        await second.sites.create({ id: 30, name: 'c', nowMs: NOW_MS });
        await seen.waitFor((hint) => hint.entity === 'site');
      } finally {
        unsubscribe();
        await second.close();
      }
    },
  );

  it.runIf(engineName === 'postgres')('listens again after its connection is killed', async () => {
    const seen = collector();
    const unsubscribe = db.changes.subscribe(seen.listener);
    const admin = new pg.Client({ connectionString: engine.url });
    await admin.connect();
    try {
      await seen.waitFor((hint) => hint.id === null);
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const before = seen.hints.filter((hint) => hint.id === null).length;
      await seen.waitFor(() => seen.hints.filter((hint) => hint.id === null).length > before, 5000);
      await db.sites.create({ id: 40, name: 'd', nowMs: NOW_MS });
      await seen.waitFor((hint) => hint.entity === 'site');
    } finally {
      unsubscribe();
      await admin.end();
    }
  });

  it.runIf(engineName === 'postgres')(
    'does not read past an entry a running transaction may still commit',
    async () => {
      const start = await db.changes.currentCursor();
      const other = new pg.Client({ connectionString: engine.url });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query(`INSERT INTO sites (id, name, created) VALUES (50, 'slow', 0)`);
        await db.sites.create({ id: 51, name: 'fast', nowMs: NOW_MS });
        expect((await db.changes.readSince(start)).entries).toEqual([]);
        await other.query('COMMIT');
        const page = await db.changes.readSince(start);
        expect(page.entries.map((e) => e.entityKey)).toEqual(['50', '51']);
      } finally {
        await other.end();
      }
    },
  );

  it('refuses use after close', async () => {
    const other = await engine.open();
    await other.close();
    await other.close();
    expect(() => other.changes.subscribe(() => undefined)).toThrow(
      expect.objectContaining({ code: 'ERR_DB_CLOSED' }),
    );
    await expect(other.changes.readSince(0)).rejects.toMatchObject({ code: 'ERR_DB_CLOSED' });
    await expect(other.sites.list()).rejects.toMatchObject({ code: 'ERR_DB_CLOSED' });
  });
});
