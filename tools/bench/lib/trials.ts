import type { FloorTrial } from '../workers/floor-worker.js';
import type { LoadResult, LoadSpec, Scenario } from '../workers/load-worker.js';
import type { RpcChild } from './child-rpc.js';
import { processCpuSeconds } from './proc-stats.js';
import { monotonicUs, recordWindow } from './trial-windows.js';
import type { TrialRole } from './trial-windows.js';

/** Figures of one trial, as they appear in the report (`impl` / `floor` objects). */
export interface TrialMetrics {
  /** Identifiers (or requests) per second: the goal's unit. */
  readonly units_per_s: number;
  /** 2xx requests per second (HTTP trials). */
  readonly rps?: number;
  readonly p50_ms?: number;
  readonly p99_ms?: number;
  /** Paced trials: p50 / p99 from the scheduled send time, ms. */
  readonly p50_from_schedule_ms?: number;
  readonly p99_from_schedule_ms?: number;
  readonly errors?: number;
  readonly non2xx?: number;
  readonly timeouts?: number;
  /** Server CPU seconds ÷ trial seconds (1.0 = one core busy). */
  readonly server_cpu_util: number;
  /** Units per second of server CPU: less sensitive to a noisy neighbour than units_per_s. */
  readonly units_per_server_cpu_s: number;
  /** Median time of one 5,000-item batch, ms (in-process floors). */
  readonly batch_ms?: number;
}

/** Identifiers per request of a scenario (1 for token/generate and the echo). */
export function unitsPerRequest(scenario: Scenario): number {
  return scenario === 'map' || scenario === 'optout' ? 5000 : 1;
}

/** An HTTP trial prepared on a load worker, ready to start. */
export interface PreparedTrial {
  /** Starts the load; resolves with the result and the server's CPU seconds during the run. */
  start(): Promise<{ result: LoadResult; serverCpuS: number }>;
}

/**
 * Builds the request pool on `load` (not timed), then returns a handle that runs the trial while
 * reading `serverPid`'s CPU time (/proc) right before and after, and records its time window
 * (`role` tells profile summaries whether it measured the floor or the implementation).
 */
export async function prepareHttpTrial(
  load: RpcChild,
  spec: LoadSpec,
  serverPid: number,
  role: TrialRole = 'impl',
): Promise<PreparedTrial> {
  await load.call('prepare', spec);
  return {
    async start() {
      const cpuBefore = processCpuSeconds(serverPid);
      const startUs = monotonicUs();
      const result = await load.call<LoadResult>('run');
      recordWindow(serverPid, startUs, monotonicUs(), role);
      return { result, serverCpuS: processCpuSeconds(serverPid) - cpuBefore };
    },
  };
}

/** Turns a load result into report metrics. */
export function httpMetrics(
  scenario: Scenario,
  run: { result: LoadResult; serverCpuS: number },
): TrialMetrics {
  const { result, serverCpuS } = run;
  const units = result.rps * unitsPerRequest(scenario);
  return {
    units_per_s: units,
    rps: result.rps,
    p50_ms: result.p50Ms,
    p99_ms: result.p99Ms,
    ...(result.p99FromScheduleMs !== undefined
      ? { p50_from_schedule_ms: result.p50FromScheduleMs, p99_from_schedule_ms: result.p99FromScheduleMs }
      : {}),
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    server_cpu_util: serverCpuS / result.seconds,
    units_per_server_cpu_s: serverCpuS > 0 ? (result.ok * unitsPerRequest(scenario)) / serverCpuS : 0,
  };
}

/** Runs one HTTP trial: prepare, then start, then metrics. */
export async function httpTrial(
  load: RpcChild,
  spec: LoadSpec,
  serverPid: number,
  role: TrialRole = 'impl',
): Promise<TrialMetrics> {
  const prepared = await prepareHttpTrial(load, spec, serverPid, role);
  return httpMetrics(spec.scenario, await prepared.start());
}

/** Runs an in-process floor (`hash` or `optout`) for `seconds` on the floor worker. */
export async function floorTrial(
  floor: RpcChild,
  cmd: 'hash' | 'optout',
  seconds: number,
): Promise<TrialMetrics> {
  const trial = await floor.call<FloorTrial>(cmd, { seconds });
  return {
    units_per_s: trial.unitsPerS,
    batch_ms: trial.batchMs,
    server_cpu_util: trial.cpuS / trial.seconds,
    units_per_server_cpu_s: trial.cpuS > 0 ? (trial.batches * 5000) / trial.cpuS : 0,
  };
}

/** True when a trial saw any error, timeout or non-2xx answer (which fails its goal). */
export function hadFailures(metrics: TrialMetrics): boolean {
  return (metrics.errors ?? 0) + (metrics.non2xx ?? 0) + (metrics.timeouts ?? 0) > 0;
}
