/**
 * `npm run bench`: the same-run performance benchmark of issue 6 (PERFORMANCE.md §6).
 * Starts the real operator (default configuration) with 1 M opt-outs, the floors and a bare
 * Fastify AES echo server, drives them from separate autocannon processes on 127.0.0.1,
 * alternates floor and implementation per goal for R rounds, and prints / writes one JSON line per
 * goal plus a summary to bench-results.jsonl. See tools/bench/README.md.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FloorInitArgs } from './workers/floor-worker.js';
import type { DropSnapshotsArgs } from './workers/seed-optouts.js';
import { forkRpc } from './lib/child-rpc.js';
import type { RpcChild } from './lib/child-rpc.js';
import { GOALS } from './lib/goals.js';
import type { BenchContext } from './lib/goals.js';
import { freePort, logHas, startOperatorProcess, waitForLogLine } from './lib/operator-process.js';
import type { OperatorProcess } from './lib/operator-process.js';
import { parseOptions } from './lib/options.js';
import { reportProfiles } from './lib/profile-report.js';
import { loadAverage1, processMemory } from './lib/proc-stats.js';
import { environment, Report } from './lib/report.js';
import { runGoal, summaryLine } from './lib/run-goal.js';
import { copyDataDir, prepareData } from './lib/setup.js';
import { round } from './lib/stats.js';

const root = resolve(import.meta.dirname, '../..');
/** The operator's default `OPTOUT_SNAPSHOT_RECORDS`: with fewer opt-outs it writes no snapshot. */
const SNAPSHOT_RECORDS_DEFAULT = 500_000;
const options = parseOptions(process.argv.slice(2), join(root, 'bench-results.jsonl'));
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
if (options.databaseUrl !== undefined && process.env.UID2_KEK === undefined) {
  log('--database-url needs UID2_KEK (base64 of 32 bytes) in the environment');
  process.exit(2);
}
const started = performance.now();
const startedWall = Date.now();
const loadStart = loadAverage1();
const workDir = await mkdtemp(join(tmpdir(), 'uid2-bench-'));
const dataDir = options.dataDir !== undefined ? resolve(options.dataDir) : join(workDir, 'data');
const logPath = join(workDir, 'operator.log');
const cpuProfDir = options.cpuProf !== undefined ? resolve(options.cpuProf) : undefined;
if (cpuProfDir !== undefined) await mkdir(cpuProfDir, { recursive: true });
const stoppers: (() => Promise<void>)[] = [];
const stopAll = async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop().catch(() => undefined);
};
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

const report = new Report(options.out);
let exitCode = 0;
try {
  const data = await prepareData({
    root,
    dataDir,
    databaseUrl: options.databaseUrl,
    optOuts: options.optouts,
    logPath,
    log,
  });
  const needsSecond = options.goals.includes('G6');
  const secondDir = options.databaseUrl === undefined ? join(workDir, 'data-hash-workers-1') : dataDir;

  // Start-up without an opt-out snapshot (every record read; the operator then writes one), then
  // with it: the operator the goals run against. The first one is stopped once its snapshot is in.
  const snapshotless = options.skipSnapshotlessStart ? undefined : await startWithoutSnapshot(data.optOuts);
  if (needsSecond && options.databaseUrl === undefined) await copyDataDir(dataDir, secondDir);

  log('starting the operator (default configuration)');
  const operator = await startOperatorProcess({
    root,
    dataDir,
    databaseUrl: options.databaseUrl,
    cpuProfDir,
    logPath,
    readyTimeoutMs: 120_000,
  });
  stoppers.push(operator.stop);
  log(`operator ready in ${(operator.readyMs / 1000).toFixed(1)} s (pid ${operator.pid})`);

  const floor = forkRpc(join(import.meta.dirname, 'workers/floor-worker.ts'), {
    nodeArgs: ['--max-old-space-size=4096'],
  });
  stoppers.push(floor.stop);
  const loads = [
    forkRpc(join(import.meta.dirname, 'workers/load-worker.ts')),
    forkRpc(join(import.meta.dirname, 'workers/load-worker.ts')),
  ] as const;
  for (const load of loads) stoppers.push(load.stop);
  const floorInit: FloorInitArgs = {
    seed: data.optOutSeed,
    optouts: data.optOuts,
    secret: data.credentials.secret,
    statusBatches: options.largePool,
    hitFraction: 0.5,
  };
  const { statusBatches, firstBatchHits } = await floor.call<{
    statusBatches: string[][];
    firstBatchHits: number;
  }>('init', floorInit);
  for (const load of loads) await load.call('init', { ...data.credentials, statusBatches });
  // One full map before any goal, so the hashing workers have loaded their salt tables.
  await loads[0].call('probe', { scenario: 'map', url: operator.url });

  let echo: { url: string; pid: number } | undefined;
  let single: OperatorProcess | undefined;
  const ctx: BenchContext = {
    options,
    operator,
    floor,
    loads,
    async echo() {
      if (echo === undefined) {
        const child: RpcChild = forkRpc(join(import.meta.dirname, 'workers/aes-echo-server.ts'));
        stoppers.push(child.stop);
        const port = await freePort();
        await child.call('listen', { port, secret: data.credentials.secret });
        echo = { url: `http://127.0.0.1:${port}`, pid: child.pid };
      }
      return echo;
    },
    async oneWorkerOperator() {
      if (single === undefined) {
        log('starting a second operator with HASH_WORKERS=1 (G6)');
        single = await startOperatorProcess({
          root,
          dataDir: secondDir,
          databaseUrl: options.databaseUrl,
          env: { HASH_WORKERS: '1' },
          cpuProfDir,
          logPath: `${logPath}.hash-workers-1`,
          readyTimeoutMs: 120_000,
        });
        stoppers.push(single.stop);
        // One full map first: the hashing workers load their salt table copy before they answer.
        await loads[0].call('probe', { scenario: 'map', url: single.url });
        log(`HASH_WORKERS=1 operator ready in ${(single.readyMs / 1000).toFixed(1)} s`);
      }
      return single;
    },
  };
  const envExtra = {
    engine: options.databaseUrl === undefined ? 'pglite' : 'postgres',
    salt_buckets: 1_048_576,
    optouts: data.optOuts,
  };
  for (const goal of GOALS.filter((g) => options.goals.includes(g.id))) {
    await runGoal({ ctx, goal, report, log, env: () => environment(envExtra), expectHits: firstBatchHits });
  }

  const memory = processMemory(operator.pid);
  const coldStart = {
    bench: 'cold_start',
    engine: envExtra.engine,
    salt_buckets: 1_048_576,
    optouts: data.optOuts,
    ready_s: round(operator.readyMs / 1000, 3),
    from_snapshot: await logHas(logPath, '"opt-out index loaded from snapshot"'),
    rss_mib_after_load: Math.round(memory.rssBytes / 2 ** 20),
    peak_rss_mib: Math.round(memory.peakRssBytes / 2 ** 20),
    ...(snapshotless !== undefined
      ? {
          ready_without_snapshot_s: round(snapshotless.readyMs / 1000, 3),
          rss_mib_without_snapshot: Math.round(snapshotless.rssBytes / 2 ** 20),
          peak_rss_mib_without_snapshot: Math.round(snapshotless.peakRssBytes / 2 ** 20),
          ...(snapshotless.snapshotWriteMs !== undefined
            ? { snapshot_write_s: round(snapshotless.snapshotWriteMs / 1000, 3) }
            : {}),
        }
      : {}),
    threads: memory.threads,
    ...(single !== undefined ? { hash_workers_1_ready_s: round(single.readyMs / 1000, 3) } : {}),
    ...(data.firstStartMs !== undefined
      ? { first_start_with_seed_s: round(data.firstStartMs / 1000, 3) }
      : {}),
    ...(data.optOutInsertMs !== undefined ? { optout_insert_s: round(data.optOutInsertMs / 1000, 3) } : {}),
    must_ready_s: 15,
    must_rss_gib: 1.5,
    note:
      'issue 6 states the cold-start must for 10 M opt-outs on Postgres; this line is the configuration of this run. ' +
      'ready_s: start with the stored opt-out snapshot (every start after the first); ready_without_snapshot_s: ' +
      'the first start after a bulk load, which reads every record and then writes the snapshot',
    env: environment(envExtra),
  };
  report.emit(coldStart);
  await stopAll();
  if (cpuProfDir !== undefined) reportProfiles({ dir: cpuProfDir, sinceMs: startedWall, root, report });
  const summary = summaryLine(report.lines, { loadStart, seconds: (performance.now() - started) / 1000 });
  report.emit(summary);
  if (options.strict && summary.pass !== true) exitCode = 1;
} catch (error) {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await stopAll();
  if (!options.keep) await rm(workDir, { recursive: true, force: true });
  else log(`kept ${workDir}`);
}
process.exit(exitCode);

/** Deletes the stored opt-out snapshots, starts an operator, waits for its new snapshot, stops it. */
async function startWithoutSnapshot(optOutCount: number): Promise<{
  readyMs: number;
  rssBytes: number;
  peakRssBytes: number;
  snapshotWriteMs: number | undefined;
}> {
  const dropper = forkRpc(join(import.meta.dirname, 'workers/seed-optouts.ts'));
  const dropArgs: DropSnapshotsArgs = {
    dataDir,
    databaseUrl: options.databaseUrl,
    kekBase64: process.env.UID2_KEK,
  };
  const dropped = await dropper.call<number>('dropSnapshots', dropArgs).finally(() => dropper.stop());
  log(`starting the operator without an opt-out snapshot (${dropped} deleted); it writes one`);
  const operator = await startOperatorProcess({
    root,
    dataDir,
    databaseUrl: options.databaseUrl,
    cpuProfDir: undefined,
    logPath: `${logPath}.no-snapshot`,
    readyTimeoutMs: 300_000,
  });
  stoppers.push(operator.stop);
  const { rssBytes } = processMemory(operator.pid);
  const written =
    optOutCount >= SNAPSHOT_RECORDS_DEFAULT
      ? await waitForLogLine(`${logPath}.no-snapshot`, '"opt-out snapshot written"', 300_000)
      : undefined;
  const { peakRssBytes } = processMemory(operator.pid);
  await operator.stop();
  log(
    `ready without a snapshot in ${(operator.readyMs / 1000).toFixed(1)} s` +
      (written !== undefined ? `; snapshot written in ${((written.ms ?? 0) / 1000).toFixed(1)} s` : ''),
  );
  return { readyMs: operator.readyMs, rssBytes, peakRssBytes, snapshotWriteMs: written?.ms };
}
