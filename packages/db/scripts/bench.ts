/**
 * Measures the bulk paths: 1,048,576 salt buckets (initSalts, then a full streamBuckets load) and
 * opt-outs (add, then a full scanSince load), on in-memory PGlite and, when DATABASE_URL is set,
 * on a fresh PostgreSQL database. Usage: `npm run bench [-- <opt-out count>]` (default 1,000,000).
 */
import { randomBytes } from 'node:crypto';
import type { OptOutRecord } from '@uid2-operator/optout';
import type { Database } from '../src/index.js';
import {
  createPostgresDatabase,
  openTemplatePGlite,
  POSTGRES_URL,
  TEST_KEK,
} from '../src/test-support/test-database.js';
import { openDatabase } from '../src/index.js';

const NOW_MS = Date.UTC(2026, 0, 1);
const OPTOUTS = Number(process.argv[2] ?? 1_000_000);

async function time<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, Math.round(performance.now() - started)];
}

async function bench(name: string, db: Database): Promise<void> {
  const [, insertMs] = await time(() => db.salts.initSalts({ nowMs: NOW_MS }));
  const [count, loadMs] = await time(async () => {
    let n = 0;
    for await (const batch of db.salts.streamBuckets()) n += batch.length;
    return n;
  });
  console.log(JSON.stringify({ engine: name, saltBuckets: count, insertMs, loadMs }));

  const hashes = randomBytes(32 * OPTOUTS);
  const ids = randomBytes(33 * OPTOUTS);
  const [, addMs] = await time(async () => {
    for (let start = 0; start < OPTOUTS; start += 100_000) {
      const batch: OptOutRecord[] = [];
      for (let i = start; i < Math.min(OPTOUTS, start + 100_000); i++) {
        batch.push({
          firstLevelHash: hashes.subarray(i * 32, i * 32 + 32),
          advertisingId: ids.subarray(i * 33, i * 33 + 33),
          scope: 'UID2',
          type: 'email',
          optedOutAtSeconds: 1_700_000_000 + i,
        });
      }
      await db.optouts.add(batch);
    }
  });
  const [scanned, scanMs] = await time(async () => {
    let n = 0;
    let cursor = 0;
    for (;;) {
      const page = await db.optouts.scanSince(cursor, { limit: 100_000 });
      n += page.records.length;
      cursor = page.cursor;
      if (!page.more) return n;
    }
  });
  console.log(
    JSON.stringify({
      engine: name,
      optouts: scanned,
      addMs,
      scanMs,
      scanPerSecond: Math.round((scanned / scanMs) * 1000),
    }),
  );
}

const lite = await openTemplatePGlite();
try {
  await bench('pglite', lite);
} finally {
  await lite.close();
}
if (POSTGRES_URL !== undefined) {
  const database = await createPostgresDatabase();
  const db = await openDatabase({ url: database.url, kek: TEST_KEK });
  try {
    await bench('postgres', db);
  } finally {
    await db.close();
    await database.drop();
  }
}
