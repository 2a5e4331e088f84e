/**
 * Child process: writes the synthetic opt-outs into the operator's database before it starts
 * (the embedded database serves one process at a time), through the db package's store; and
 * deletes stored opt-out snapshots before the start that is measured without one.
 */
import { join } from 'node:path';
import { loadOrCreateKekFile, openDatabase, parseKek, type Database } from '@uid2-operator/db';
import { serveRpc } from '../lib/child-rpc.js';
import { optOutRecords } from '../lib/workload.js';

/** Arguments of the `seed` command. */
export interface SeedOptOutsArgs {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly kekBase64: string | undefined;
  readonly seed: string;
  readonly count: number;
  readonly batch: number;
}

/** Result of the `seed` command. */
export interface SeedOptOutsResult {
  readonly before: number;
  readonly inserted: number;
  readonly after: number;
  readonly ms: number;
}

/** Arguments of the `dropSnapshots` command. */
export type DropSnapshotsArgs = Pick<SeedOptOutsArgs, 'dataDir' | 'databaseUrl' | 'kekBase64'>;

async function open(args: DropSnapshotsArgs): Promise<Database> {
  const kek =
    args.kekBase64 !== undefined
      ? parseKek(args.kekBase64)
      : await loadOrCreateKekFile(join(args.dataDir, 'kek'));
  return openDatabase({
    url: args.databaseUrl,
    dataDir: args.databaseUrl === undefined ? join(args.dataDir, 'pglite') : undefined,
    kek,
  });
}

/** Deletes the stored opt-out snapshots, so the next start reads every record. */
async function dropSnapshots(args: DropSnapshotsArgs): Promise<number> {
  const db = await open(args);
  try {
    return await db.optouts.deleteSnapshots();
  } finally {
    await db.close();
  }
}

async function seed(args: SeedOptOutsArgs): Promise<SeedOptOutsResult> {
  const db = await open(args);
  const started = performance.now();
  try {
    const before = await db.optouts.count();
    let inserted = 0;
    let lastReport = started;
    for (let start = 0; start < args.count; start += args.batch) {
      inserted += await db.optouts.add(
        optOutRecords(args.seed, start, Math.min(args.batch, args.count - start)),
      );
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        process.stderr.write(`bench: opt-outs ${start + args.batch}/${args.count}\n`);
      }
    }
    const after = await db.optouts.count();
    return { before, inserted, after, ms: Math.round(performance.now() - started) };
  } finally {
    await db.close();
  }
}

serveRpc({ seed, dropSnapshots });
