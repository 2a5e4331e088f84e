import type { Scenario } from '../workers/load-worker.js';
import type { RpcChild } from './child-rpc.js';
import type { OperatorProcess } from './operator-process.js';
import type { BenchOptions, GoalId } from './options.js';
import type { TrialMetrics } from './trials.js';
import type { TrialRole } from './trial-windows.js';
import { floorTrial, httpMetrics, httpTrial, prepareHttpTrial } from './trials.js';

/** What the goals run against. Servers started on demand are behind the functions. */
export interface BenchContext {
  readonly options: BenchOptions;
  /** The operator in its default configuration. */
  readonly operator: OperatorProcess;
  readonly floor: RpcChild;
  /** Two load processes (G4 runs two loads at once). */
  readonly loads: readonly [RpcChild, RpcChild];
  /** The AES echo server (started on first use). */
  echo(): Promise<{ url: string; pid: number }>;
  /** A second operator on a copy of the data with `HASH_WORKERS=1` (started on first use, for G6). */
  oneWorkerOperator(): Promise<OperatorProcess>;
}

/** Floor and implementation figures of one round, and their ratio. */
export interface RoundOutcome {
  readonly floor: TrialMetrics;
  readonly impl: TrialMetrics;
  readonly ratio: number;
  /** Same ratio on units per server-CPU-second (NaN where it means nothing). */
  readonly ratioCpu: number;
  /** Goal-specific extra figures (G4: identity/map ids/s under the mix). */
  readonly extra?: Record<string, number>;
}

/** One goal of issue 6. */
export interface GoalDefinition {
  readonly id: GoalId;
  readonly bench: string;
  readonly floorName: string;
  readonly must: number;
  readonly target: number;
  /** G5: the ratio is a latency multiple, lower is better. */
  readonly lowerIsBetter: boolean;
  /** Operator routes the goal needs (probed first; a 404 skips the goal). */
  readonly scenarios: readonly Scenario[];
  /** G4: p99 limits of the implementation, ms. */
  readonly p99MustMs?: number;
  readonly p99TargetMs?: number;
  /** Runs floor and implementation once each (order alternates by round: ABBA). */
  round(ctx: BenchContext, seconds: number, round: number): Promise<RoundOutcome>;
}

const LARGE = (ctx: BenchContext) => ctx.options.largePool;
const SMALL = (ctx: BenchContext) => ctx.options.smallPool;

async function ordered(round: number, floor: () => Promise<TrialMetrics>, impl: () => Promise<TrialMetrics>) {
  if (round % 2 === 0) {
    const f = await floor();
    return { floor: f, impl: await impl() };
  }
  const i = await impl();
  return { floor: await floor(), impl: i };
}

function ratios(floor: TrialMetrics, impl: TrialMetrics): RoundOutcome {
  return {
    floor,
    impl,
    ratio: impl.units_per_s / floor.units_per_s,
    ratioCpu: impl.units_per_server_cpu_s / floor.units_per_server_cpu_s,
  };
}

function mapTrial(
  ctx: BenchContext,
  target: OperatorProcess,
  seconds: number,
  connections: number,
  role: TrialRole = 'impl',
) {
  return httpTrial(
    ctx.loads[0],
    { scenario: 'map', url: target.url, connections, seconds, pool: LARGE(ctx) },
    target.pid,
    role,
  );
}

function generateTrial(ctx: BenchContext, seconds: number, connections: number, role: TrialRole) {
  return httpTrial(
    ctx.loads[0],
    { scenario: 'generate', url: ctx.operator.url, connections, seconds, pool: SMALL(ctx) },
    ctx.operator.pid,
    role,
  );
}

/** Token/generate on `loads[0]` while `loads[1]` streams 5,000-email maps over 4 connections. */
async function mixedTrial(
  ctx: BenchContext,
  seconds: number,
): Promise<{ tg: TrialMetrics; map: TrialMetrics }> {
  const { operator } = ctx;
  const map = await prepareHttpTrial(
    ctx.loads[1],
    { scenario: 'map', url: operator.url, connections: 4, seconds: seconds + 2, pool: LARGE(ctx) },
    operator.pid,
    'background',
  );
  const tg = await prepareHttpTrial(
    ctx.loads[0],
    { scenario: 'generate', url: operator.url, connections: 10, seconds, pool: SMALL(ctx) },
    operator.pid,
  );
  const mapRun = map.start();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const tgRun = await tg.start();
  return { tg: httpMetrics('generate', tgRun), map: httpMetrics('map', await mapRun) };
}

/** G1–G6 as in issue 6, in run order. */
export const GOALS: readonly GoalDefinition[] = [
  {
    id: 'G1',
    bench: 'G1_identity_map_v3_5k',
    floorName: 'sha256_chain3_optout_check_single_thread',
    must: 0.75,
    target: 1.4,
    lowerIsBetter: false,
    scenarios: ['map'],
    async round(ctx, seconds, round) {
      const r = await ordered(
        round,
        () => floorTrial(ctx.floor, 'hash', seconds),
        () => mapTrial(ctx, ctx.operator, seconds, 8),
      );
      return ratios(r.floor, r.impl);
    },
  },
  {
    id: 'G2',
    bench: 'G2_token_generate',
    floorName: 'fastify_aes_echo',
    must: 0.45,
    target: 0.55,
    lowerIsBetter: false,
    scenarios: ['generate'],
    async round(ctx, seconds, round) {
      const echo = await ctx.echo();
      const r = await ordered(
        round,
        () =>
          httpTrial(
            ctx.loads[0],
            { scenario: 'echo', url: echo.url, connections: 50, seconds, pool: SMALL(ctx) },
            echo.pid,
            'floor',
          ),
        () => generateTrial(ctx, seconds, 50, 'impl'),
      );
      return ratios(r.floor, r.impl);
    },
  },
  {
    id: 'G3',
    bench: 'G3_optout_status_5k_1m',
    floorName: 'optout_status_in_process_map_1m',
    must: 0.6,
    target: 0.75,
    lowerIsBetter: false,
    scenarios: ['optout'],
    async round(ctx, seconds, round) {
      const r = await ordered(
        round,
        () => floorTrial(ctx.floor, 'optout', seconds),
        () =>
          httpTrial(
            ctx.loads[0],
            { scenario: 'optout', url: ctx.operator.url, connections: 8, seconds, pool: LARGE(ctx) },
            ctx.operator.pid,
          ),
      );
      return ratios(r.floor, r.impl);
    },
  },
  {
    id: 'G4',
    bench: 'G4_token_generate_under_map_load',
    floorName: 'token_generate_solo_10_connections',
    must: 0.35,
    target: 0.5,
    lowerIsBetter: false,
    scenarios: ['generate', 'map'],
    p99MustMs: 20,
    p99TargetMs: 10,
    async round(ctx, seconds, round) {
      let mapUnderMix = 0;
      const r = await ordered(
        round,
        () => generateTrial(ctx, seconds, 10, 'floor'),
        async () => {
          const mixed = await mixedTrial(ctx, seconds);
          mapUnderMix = mixed.map.units_per_s;
          return mixed.tg;
        },
      );
      return { ...ratios(r.floor, r.impl), extra: { map_units_per_s_under_mix: mapUnderMix } };
    },
  },
  {
    id: 'G5',
    bench: 'G5_identity_map_batch_latency',
    floorName: 'sha256_chain3_batch_time_single_thread',
    must: 1.5,
    target: 1.2,
    lowerIsBetter: true,
    scenarios: ['map'],
    async round(ctx, seconds, round) {
      const r = await ordered(
        round,
        () => floorTrial(ctx.floor, 'hash', seconds),
        () => mapTrial(ctx, ctx.operator, seconds, 1),
      );
      return {
        floor: r.floor,
        impl: r.impl,
        ratio: (r.impl.p50_ms ?? NaN) / (r.floor.batch_ms ?? NaN),
        ratioCpu: NaN,
      };
    },
  },
  {
    id: 'G6',
    bench: 'G6_identity_map_worker_scaling',
    floorName: 'identity_map_hash_workers_1',
    must: 1.6,
    target: 1.8,
    lowerIsBetter: false,
    scenarios: ['map'],
    async round(ctx, seconds, round) {
      const single = await ctx.oneWorkerOperator();
      const r = await ordered(
        round,
        () => mapTrial(ctx, single, seconds, 8, 'floor'),
        () => mapTrial(ctx, ctx.operator, seconds, 8),
      );
      return ratios(r.floor, r.impl);
    },
  },
];
