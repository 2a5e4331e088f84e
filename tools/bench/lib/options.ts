import { parseArgs } from 'node:util';

/** Goal identifiers of issue 6 (see tools/bench/README.md). */
export const GOAL_IDS = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6'] as const;
/** One goal identifier. */
export type GoalId = (typeof GOAL_IDS)[number];

/** Parsed command line of `npm run bench`. */
export interface BenchOptions {
  /** Rounds per goal; each round runs the floor and the implementation once. */
  readonly rounds: number;
  /** Length of one trial, seconds. */
  readonly seconds: number;
  /** Untimed warm-up per scenario before the first round, seconds. */
  readonly warmupSeconds: number;
  readonly goals: readonly GoalId[];
  /** Exit 1 when a must fails (after one retry of that goal). */
  readonly strict: boolean;
  /** PostgreSQL URL (needs `UID2_KEK` in the environment); unset = embedded PGlite. */
  readonly databaseUrl: string | undefined;
  /** Reuse this operator data directory (seeded database, credentials, opt-outs) instead of a temp one. */
  readonly dataDir: string | undefined;
  /** Keep the temporary data directory at the end. */
  readonly keep: boolean;
  /** Opt-outs the operator holds during the run. */
  readonly optouts: number;
  /** Write `--cpu-prof` profiles of the operator here and print their top functions. */
  readonly cpuProf: string | undefined;
  /** Where the JSON lines go. */
  readonly out: string;
  /** Request bodies built per trial for small requests (token/generate, echo). */
  readonly smallPool: number;
  /** Request bodies built per trial for 5,000-item requests. */
  readonly largePool: number;
  /**
   * Skip the start without an opt-out snapshot (which deletes the stored snapshots and waits for
   * the operator to write one): the goals' operator then starts from whatever is stored.
   */
  readonly skipSnapshotlessStart: boolean;
}

const USAGE = `usage: npm run bench -- [--rounds 3] [--seconds 5] [--goals G1,G2,...] [--quick] [--strict]
       [--database-url postgres://...] [--data-dir DIR] [--keep] [--optouts 1000000]
       [--cpu-prof DIR] [--out bench-results.jsonl] [--skip-snapshotless-start]`;

function positive(name: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}\n${USAGE}`);
  }
  return value;
}

/**
 * Parses the bench command line. `--quick` means 1 round of 2 s (warm-up 1 s) unless `--rounds` /
 * `--seconds` are given too.
 * @throws Error with the usage text on a bad flag.
 */
export function parseOptions(argv: readonly string[], defaultOut: string): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      goals: { type: 'string' },
      quick: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      keep: { type: 'boolean', default: false },
      optouts: { type: 'string', default: '1000000' },
      'cpu-prof': { type: 'string' },
      out: { type: 'string', default: defaultOut },
      'small-pool': { type: 'string', default: '256' },
      'large-pool': { type: 'string', default: '24' },
      'skip-snapshotless-start': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick;
  const goals = (values.goals ?? GOAL_IDS.join(','))
    .split(',')
    .map((g) => g.trim().toUpperCase())
    .filter((g) => g !== '');
  for (const goal of goals) {
    if (!(GOAL_IDS as readonly string[]).includes(goal)) throw new Error(`unknown goal ${goal}\n${USAGE}`);
  }
  const seconds = positive('seconds', values.seconds ?? (quick ? '2' : '5'), false);
  if (seconds > 90) throw new Error('--seconds must be ≤ 90: request envelopes expire after 120 s');
  return {
    rounds: positive('rounds', values.rounds ?? (quick ? '1' : '3'), true),
    seconds,
    warmupSeconds: positive('warmup', values.warmup ?? (quick ? '1' : '2'), false),
    goals: GOAL_IDS.filter((g) => goals.includes(g)),
    strict: values.strict,
    databaseUrl: values['database-url'],
    dataDir: values['data-dir'],
    keep: values.keep,
    optouts: positive('optouts', values.optouts, true),
    cpuProf: values['cpu-prof'],
    out: values.out,
    smallPool: positive('small-pool', values['small-pool'], true),
    largePool: positive('large-pool', values['large-pool'], true),
    skipSnapshotlessStart: values['skip-snapshotless-start'],
  };
}
