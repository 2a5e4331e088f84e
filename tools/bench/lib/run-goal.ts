import { SCENARIO_PATH } from '../workers/load-worker.js';
import type { BenchContext, GoalDefinition, RoundOutcome } from './goals.js';
import { loadAverage1, processMemory } from './proc-stats.js';
import type { Report, ReportLine } from './report.js';
import { goalLine } from './report.js';
import { round } from './stats.js';
import { setWindowLabel } from './trial-windows.js';
import { httpTrial } from './trials.js';
import type { TrialMetrics } from './trials.js';

/** Inputs of {@link runGoal}. */
export interface RunGoalInput {
  readonly ctx: BenchContext;
  readonly goal: GoalDefinition;
  readonly report: Report;
  readonly log: (message: string) => void;
  readonly env: () => Record<string, unknown>;
  /** Opted-out ids in the first optout/status batch (the probe checks the operator finds them all). */
  readonly expectHits: number;
}

interface ProbeResult {
  readonly http: number;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Runs one goal: probes its routes with one real request each (404 → `"skipped": "route missing"`;
 * any other wrong answer → a failed line), warms up, runs the rounds and emits the goal line.
 * With `--strict` a failed must is retried once (the retry's line has `"retry": true`).
 * After G2 it also measures token/generate latency at 50 % of G2's peak rate.
 */
export async function runGoal(input: RunGoalInput): Promise<void> {
  const { ctx, goal, report, log } = input;
  for (const scenario of goal.scenarios) {
    const probe = await ctx.loads[0].call<ProbeResult>('probe', {
      scenario,
      url: ctx.operator.url,
      expectHits: input.expectHits,
    });
    const route = SCENARIO_PATH[scenario];
    if (probe.http === 404) {
      log(`${goal.id}: ${route} answers 404, skipped`);
      report.emit({ bench: goal.bench, goal: goal.id, skipped: 'route missing', route, env: input.env() });
      return;
    }
    if (!probe.ok) {
      report.emit({
        bench: goal.bench,
        goal: goal.id,
        pass: false,
        failures: [`probe of ${route}: HTTP ${probe.http} ${probe.detail}`],
        env: input.env(),
      });
      return;
    }
  }
  const { rounds, seconds, warmupSeconds, strict } = ctx.options;
  for (let attempt = 1; attempt <= (strict ? 2 : 1); attempt++) {
    log(`${goal.id}: warm-up (${warmupSeconds} s per side)`);
    setWindowLabel('');
    await goal.round(ctx, warmupSeconds, 0);
    const outcomes: RoundOutcome[] = [];
    setWindowLabel(goal.id);
    for (let r = 0; r < rounds; r++) {
      log(`${goal.id}: round ${r + 1}/${rounds} (load ${loadAverage1()})`);
      outcomes.push(await goal.round(ctx, seconds, r));
    }
    setWindowLabel('');
    const line = goalLine({
      goal,
      outcomes,
      env: input.env(),
      trialSeconds: seconds,
      implInfo: {
        hash_workers: process.env.HASH_WORKERS ?? 'default',
        threads: processMemory(ctx.operator.pid).threads,
      },
    });
    if (attempt > 1) line.retry = true;
    report.emit(line);
    if (goal.id === 'G2' && attempt === 1) await halfPeakLatency(input, line);
    if (line.pass === true) break;
  }
}

/**
 * Token/generate p50/p99 at 50 % of G2's median peak rate, 50 connections: once with autocannon
 * `overallRate` (bursts each connection's per-second quota) and once paced evenly (open loop,
 * latency from the scheduled send time). The paced figures are the headline `p50_ms` / `p99_ms`.
 */
async function halfPeakLatency(input: RunGoalInput, g2: ReportLine): Promise<void> {
  const { ctx } = input;
  const peak = Number((g2.impl as Record<string, unknown>).rps);
  if (!(peak > 2)) return;
  const rate = Math.round(peak / 2);
  input.log(`token/generate at ${rate} req/s (50 % of peak), autocannon overallRate then paced`);
  const run = (paced: boolean) =>
    httpTrial(
      ctx.loads[0],
      {
        scenario: 'generate',
        url: ctx.operator.url,
        connections: 50,
        seconds: ctx.options.seconds,
        overallRate: rate,
        paced,
        pool: ctx.options.smallPool,
      },
      ctx.operator.pid,
    );
  const figures = (m: TrialMetrics) => ({
    rps: round(m.rps ?? 0, 4),
    p50_ms: round(m.p50_ms ?? NaN, 3),
    p99_ms: round(m.p99_ms ?? NaN, 3),
    ...(m.p99_from_schedule_ms !== undefined
      ? {
          p50_from_schedule_ms: round(m.p50_from_schedule_ms ?? NaN, 3),
          p99_from_schedule_ms: round(m.p99_from_schedule_ms, 3),
        }
      : {}),
    errors: (m.errors ?? 0) + (m.timeouts ?? 0),
    non2xx: m.non2xx ?? 0,
    server_cpu_util: round(m.server_cpu_util, 3),
  });
  const bursty = figures(await run(false));
  const paced = figures(await run(true));
  input.report.emit({
    bench: 'token_generate_latency_at_half_peak',
    peak_rps: round(peak, 4),
    rate_rps: rate,
    ...paced,
    autocannon_overall_rate: bursty,
    connections: 50,
    trial_s: ctx.options.seconds,
    env: input.env(),
  });
}

/** The summary line: overall pass (every must of the goals that ran), ratios, failed/skipped/noisy goals. */
export function summaryLine(
  lines: readonly ReportLine[],
  run: { loadStart: number; seconds: number },
): ReportLine {
  const latest = new Map<string, ReportLine>();
  for (const line of lines) {
    if (typeof line.goal === 'string' && line.bench !== 'cpu_profile') latest.set(line.goal, line);
  }
  const goals = [...latest.values()];
  const ratios: Record<string, unknown> = {};
  for (const line of goals) if (typeof line.ratio === 'number') ratios[String(line.goal)] = line.ratio;
  const units = (id: string) => Number(((latest.get(id)?.impl ?? {}) as Record<string, unknown>).units_per_s);
  const g3b = units('G3') / units('G1');
  const coldStart = lines.find((l) => l.bench === 'cold_start');
  const halfPeak = lines.find((l) => l.bench === 'token_generate_latency_at_half_peak');
  const failed = goals.filter((l) => l.pass === false).map((l) => l.goal);
  const skipped = goals.filter((l) => l.skipped !== undefined).map((l) => l.goal);
  return {
    bench: 'summary',
    pass: failed.length === 0,
    complete: skipped.length === 0,
    ratios,
    ...(Number.isFinite(g3b) ? { G3b_optout_over_map: round(g3b, 3) } : {}),
    failed,
    skipped,
    target_met: goals.filter((l) => l.target_met === true).map((l) => l.goal),
    noisy: goals.filter((l) => l.noisy === true).map((l) => l.goal),
    ...(coldStart !== undefined
      ? { cold_start_s: coldStart.ready_s, rss_mib: coldStart.rss_mib_after_load }
      : {}),
    ...(halfPeak !== undefined
      ? { tg_half_peak_p50_ms: halfPeak.p50_ms, tg_half_peak_p99_ms: halfPeak.p99_ms }
      : {}),
    loadavg1_start: run.loadStart,
    loadavg1_end: loadAverage1(),
    duration_s: Math.round(run.seconds),
    ts: new Date().toISOString(),
  };
}
