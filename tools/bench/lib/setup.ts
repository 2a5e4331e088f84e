import { randomBytes } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SeedOptOutsArgs, SeedOptOutsResult } from '../workers/seed-optouts.js';
import { forkRpc } from './child-rpc.js';
import type { BenchCredentials } from './operator-process.js';
import { readCredentials, startOperatorProcess } from './operator-process.js';

/** What {@link prepareData} leaves behind for the run. */
export interface PreparedData {
  readonly credentials: BenchCredentials;
  /** Seed of the synthetic opt-outs (see lib/workload.ts) and how many the database holds. */
  readonly optOutSeed: string;
  readonly optOuts: number;
  /** First start with the development seed, ms (undefined when the data directory was reused). */
  readonly firstStartMs: number | undefined;
  readonly optOutInsertMs: number | undefined;
}

/** Inputs of {@link prepareData}. */
export interface PrepareDataInput {
  readonly root: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly optOuts: number;
  readonly logPath: string;
  readonly log: (message: string) => void;
}

const META_FILE = 'bench-optouts.json';

/**
 * Makes the data directory ready: a first operator start seeds the development environment
 * (1,048,576 salt buckets, credentials in `dev-credentials.json`), then a child process writes the
 * synthetic opt-outs through `db.optouts.add` in batches while no operator runs. A reused directory
 * keeps its seed in `bench-optouts.json`, so the bench knows which advertising ids are opted out.
 *
 * @throws Error when the database was seeded without this directory's credentials file.
 */
export async function prepareData(input: PrepareDataInput): Promise<PreparedData> {
  let credentials = await readCredentials(input.dataDir);
  let firstStartMs: number | undefined;
  if (credentials === undefined) {
    input.log('first start: the operator seeds 1,048,576 salt buckets (1–3 min)');
    const first = await startOperatorProcess({
      root: input.root,
      dataDir: input.dataDir,
      databaseUrl: input.databaseUrl,
      cpuProfDir: undefined,
      logPath: input.logPath,
      readyTimeoutMs: 600_000,
    });
    firstStartMs = first.readyMs;
    await first.stop();
    credentials = await readCredentials(input.dataDir);
    if (credentials === undefined) {
      throw new Error(
        `no ${join(input.dataDir, 'dev-credentials.json')}: the database was seeded before; pass --data-dir of the directory that seeded it`,
      );
    }
  }
  let meta: { seed: string; count: number } | undefined;
  try {
    meta = JSON.parse(await readFile(join(input.dataDir, META_FILE), 'utf8')) as {
      seed: string;
      count: number;
    };
  } catch {
    meta = undefined;
  }
  let optOutInsertMs: number | undefined;
  if (meta === undefined || meta.count < input.optOuts) {
    const seed = meta?.seed ?? randomBytes(16).toString('hex');
    input.log(`writing ${input.optOuts.toLocaleString('en')} opt-outs through the db package`);
    const child = forkRpc(join(import.meta.dirname, '../workers/seed-optouts.ts'));
    try {
      const args: SeedOptOutsArgs = {
        dataDir: input.dataDir,
        databaseUrl: input.databaseUrl,
        kekBase64: process.env.UID2_KEK,
        seed,
        count: input.optOuts,
        batch: 50_000,
      };
      const result = await child.call<SeedOptOutsResult>('seed', args);
      optOutInsertMs = result.ms;
      input.log(
        `opt-outs: ${result.inserted} new, ${result.after} in the database (${(result.ms / 1000).toFixed(1)} s)`,
      );
    } finally {
      await child.stop();
    }
    meta = { seed, count: input.optOuts };
    await writeFile(join(input.dataDir, META_FILE), `${JSON.stringify(meta)}\n`, { mode: 0o600 });
  }
  return { credentials, optOutSeed: meta.seed, optOuts: meta.count, firstStartMs, optOutInsertMs };
}

/** Copies an embedded data directory (operator stopped) for a second operator process. */
export async function copyDataDir(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true });
}
