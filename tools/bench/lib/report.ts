import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import type { GoalDefinition, RoundOutcome } from './goals.js';
import type { TrialMetrics } from './trials.js';
import { loadAverage1 } from './proc-stats.js';
import { median, round, spread } from './stats.js';

/** A JSON line of the report. */
export type ReportLine = Record<string, unknown>;

/** Floor spread above which a run is flagged `noisy` (PERFORMANCE.md §6). */
export const NOISY_SPREAD = 0.25;

function fastifyVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const path = require.resolve('fastify/package.json');
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Machine and runtime facts recorded with every goal line. */
export function environment(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const cpuList = cpus();
  return {
    node: process.version,
    fastify: fastifyVersion(),
    cpus: cpuList.length,
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    mem_gib: round(totalmem() / 2 ** 30, 3),
    loadavg1: loadAverage1(),
    ...extra,
  };
}

const METRIC_KEYS = [
  'units_per_s',
  'rps',
  'p50_ms',
  'p99_ms',
  'server_cpu_util',
  'units_per_server_cpu_s',
  'batch_ms',
] as const;
const COUNT_KEYS = ['errors', 'non2xx', 'timeouts'] as const;

/** Median of every metric across rounds; error counts summed. */
export function summarizeTrials(trials: readonly TrialMetrics[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of METRIC_KEYS) {
    const values = trials
      .map((t) => t[key])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length > 0)
      out[key] = round(median(values), key.endsWith('_ms') || key.endsWith('util') ? 3 : 4);
  }
  for (const key of COUNT_KEYS) {
    const values = trials.map((t) => t[key]).filter((v): v is number => typeof v === 'number');
    if (values.length > 0) out[key] = values.reduce((a, b) => a + b, 0);
  }
  return out;
}

/** Inputs of {@link goalLine}. */
export interface GoalLineInput {
  readonly goal: GoalDefinition;
  readonly outcomes: readonly RoundOutcome[];
  readonly env: Record<string, unknown>;
  readonly trialSeconds: number;
  /** What the implementation ran as (e.g. `{ workers: 'default', threads: 11 }`). */
  readonly implInfo: Record<string, unknown>;
}

/** The PERFORMANCE.md §6 JSON line of one goal: ratio, per-round ratios, must/target, pass, figures. */
export function goalLine(input: GoalLineInput): ReportLine {
  const { goal, outcomes } = input;
  const ratioRuns = outcomes.map((o) => round(o.ratio, 3));
  const ratio = round(median(outcomes.map((o) => o.ratio)), 3);
  const cpuRatios = outcomes.map((o) => o.ratioCpu).filter((v) => Number.isFinite(v));
  const impl: Record<string, unknown> = {
    ...summarizeTrials(outcomes.map((o) => o.impl)),
    ...input.implInfo,
  };
  for (const key of new Set(outcomes.flatMap((o) => Object.keys(o.extra ?? {})))) {
    impl[key] = round(median(outcomes.map((o) => o.extra?.[key] ?? Number.NaN)), 4);
  }
  const floorUnits = outcomes.map((o) => o.floor.units_per_s);
  const floor: Record<string, unknown> & { spread: number } = {
    name: goal.floorName,
    ...summarizeTrials(outcomes.map((o) => o.floor)),
    runs: floorUnits.map((v) => round(v, 4)),
    spread: round(spread(floorUnits), 3),
  };
  const failures: string[] = [];
  const meets = (limit: number) =>
    Number.isFinite(ratio) && (goal.lowerIsBetter ? ratio <= limit : ratio >= limit);
  const empty = outcomes.filter((o) => !(o.impl.units_per_s > 0) || !(o.floor.units_per_s > 0)).length;
  if (empty > 0) failures.push(`${empty} round(s) without a completed response on one side`);
  else if (!meets(goal.must))
    failures.push(`ratio ${ratio} ${goal.lowerIsBetter ? '>' : '<'} must ${goal.must}`);
  const p99 = typeof impl.p99_ms === 'number' ? impl.p99_ms : NaN;
  if (goal.p99MustMs !== undefined && !(p99 <= goal.p99MustMs))
    failures.push(`p99 ${p99} ms > ${goal.p99MustMs} ms`);
  const errorCount = (Number(impl.errors) || 0) + (Number(impl.non2xx) || 0) + (Number(impl.timeouts) || 0);
  const floorErrors =
    (Number(floor.errors) || 0) + (Number(floor.non2xx) || 0) + (Number(floor.timeouts) || 0);
  if (errorCount > 0) failures.push(`${errorCount} errors / non-2xx / timeouts`);
  if (floorErrors > 0) failures.push(`floor had ${floorErrors} errors / non-2xx / timeouts`);
  const targetMet =
    meets(goal.target) &&
    (goal.p99TargetMs === undefined || p99 <= goal.p99TargetMs) &&
    failures.length === 0;
  return {
    bench: goal.bench,
    goal: goal.id,
    ratio,
    ratio_runs: ratioRuns,
    ...(cpuRatios.length > 0 ? { ratio_cpu: round(median(cpuRatios), 3) } : {}),
    must: goal.must,
    target: goal.target,
    ...(goal.lowerIsBetter ? { lower_is_better: true } : {}),
    ...(goal.p99MustMs !== undefined ? { p99_must_ms: goal.p99MustMs, p99_target_ms: goal.p99TargetMs } : {}),
    pass: failures.length === 0,
    target_met: targetMet,
    ...(failures.length > 0 ? { failures } : {}),
    impl,
    floor,
    noisy: floor.spread > NOISY_SPREAD,
    env: input.env,
    rounds: outcomes.length,
    trial_s: input.trialSeconds,
    ts: new Date().toISOString(),
  };
}

/** Collects report lines: prints each to stdout and appends it to the results file. */
export class Report {
  readonly lines: ReportLine[] = [];

  constructor(private readonly path: string) {
    writeFileSync(path, '');
  }

  /** Prints and records one line. */
  emit(line: ReportLine): void {
    this.lines.push(line);
    const text = JSON.stringify(line);
    process.stdout.write(`${text}\n`);
    appendFileSync(this.path, `${text}\n`);
  }
}
