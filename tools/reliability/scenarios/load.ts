import { spawn } from 'node:child_process';
import type { ScenarioReport } from '../lib/report.js';
import { type OperatorSession, startSession } from '../lib/session.js';
import { REPO_ROOT, type SuiteContext } from '../lib/suite-context.js';

/** What the load worker prints. Latencies in ms. */
interface LoadResult {
  requests: number;
  rps: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  ok2xx: number;
  cycleLength: number;
}

/** Runs the autocannon worker in its own process and returns its result line. */
async function runWorker(
  ctx: SuiteContext,
  s: OperatorSession,
  seconds: number,
  overallRate: number,
): Promise<LoadResult> {
  const config = {
    url: s.operator.url,
    apiKey: s.credentials.apiKey,
    secret: s.credentials.secret,
    seconds,
    connections: 8,
    overallRate,
  };
  const child = spawn(
    process.execPath,
    ['--conditions=@uid2-operator/source', '--import', 'tsx', 'tools/reliability/load/load-worker.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        LOAD_CONFIG: JSON.stringify(config),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  ctx.logs.push({
    name: `load worker ${overallRate > 0 ? 'run' : 'calibration'}`,
    stdout: () => '',
    stderr: () => err,
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  const line = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{'))
    throw new Error(`load worker failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(line) as LoadResult;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Scenario 4: mixed load from a separate process (autocannon): token/generate, token/refresh, v3
 * identity/map of 5,000 emails and optout/status of 5,000 ids. First measures the rate the
 * machine sustains (5 s unthrottled), then runs at 50 % of it for 60 s (10 s with `--quick`),
 * sampling the operator's RSS from /proc every second. Requires 0 errors, 0 non-2xx, and RSS
 * growth < 10 % after the warm-up (10 s; 30 % of the run with `--quick`).
 */
export async function runLoad(ctx: SuiteContext, report: ScenarioReport): Promise<void> {
  const s = await startSession(ctx, { name: 'load', dataDir: ctx.path('load') });
  try {
    const calibration = await runWorker(ctx, s, ctx.options.quick ? 3 : 5, 0);
    const target = Math.max(1, Math.round(calibration.rps * 0.5));
    report.set('calibrated_max_rps', Math.round(calibration.rps));
    report.set('target_rps', target);
    const seconds = ctx.options.loadSeconds ?? (ctx.options.quick ? 10 : 60);
    const warmUp = ctx.options.quick ? Math.ceil(seconds * 0.3) : 10;
    const samples: { t: number; rss: number }[] = [];
    const started = Date.now();
    const cpuBefore = (await s.operator.cpuSeconds()) ?? 0;
    const timer = setInterval(() => {
      void s.operator.rssBytes().then((rss) => {
        if (rss !== undefined) samples.push({ t: (Date.now() - started) / 1000, rss });
      });
    }, 1000);
    let result: LoadResult;
    try {
      result = await runWorker(ctx, s, seconds, target);
    } finally {
      clearInterval(timer);
    }
    const cpu = ((await s.operator.cpuSeconds()) ?? 0) - cpuBefore;
    const mib = (bytes: number) => Math.round(bytes / 1048576);
    // The worker spends a few seconds preparing envelopes before autocannon starts.
    const loadStart = samples.length > 0 ? samples[samples.length - 1]!.t - seconds : 0;
    const baseline = median(
      samples.filter((x) => x.t >= loadStart + warmUp && x.t < loadStart + warmUp + 5).map((x) => x.rss),
    );
    const end = median(samples.slice(-5).map((x) => x.rss));
    const peak = Math.max(...samples.filter((x) => x.t >= loadStart + warmUp).map((x) => x.rss));
    const growth = baseline > 0 ? (end - baseline) / baseline : 0;
    report.set('seconds', seconds);
    report.set('requests', result.requests);
    report.set('achieved_rps', Math.round(result.rps));
    report.set(
      'ids_per_s_map_and_status',
      Math.round(((result.requests / result.cycleLength) * 3 * 5000) / seconds),
    );
    report.set('p50_ms', result.latency.p50);
    report.set('p90_ms', result.latency.p90);
    report.set('p99_ms', result.latency.p99);
    report.set('max_ms', result.latency.max);
    report.set('errors', result.errors);
    report.set('timeouts', result.timeouts);
    report.set('non2xx', result.non2xx);
    report.set('operator_cpu_util', Number((cpu / (seconds + 5)).toFixed(2)));
    report.set('rss_baseline_mib', mib(baseline));
    report.set('rss_end_mib', mib(end));
    report.set('rss_peak_mib', mib(peak));
    report.set('rss_growth_pct', Number((growth * 100).toFixed(1)));
    report.set('rss_samples', samples.length);
    report.check(
      result.errors === 0 && result.timeouts === 0,
      `${result.errors} errors and ${result.timeouts} timeouts under load`,
    );
    report.check(result.non2xx === 0, `${result.non2xx} non-2xx answers under load`);
    report.check(growth < 0.1, `RSS grew ${(growth * 100).toFixed(1)} % after the warm-up (limit 10 %)`);
    report.check(s.operator.alive(), 'the operator died under load');
  } finally {
    await s.close();
  }
}
