import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { OptOutIndex, OptOutPolicy, SharedSegmentUpdate, TestIdentityHash } from '@uid2-operator/optout';
import type { SaltTable, SaltTableState } from '@uid2-operator/salt-buckets';
import {
  concatHashed,
  hashIdentities,
  type HashedIdentities,
  type HashInput,
  type HashOutput,
  type MapSettings,
} from './hash-batch.js';
import { HashPoolError } from './hash-pool-error.js';
import { RandomPool } from '../lib/random-pool.js';
import type { JobOutput, JobResult, JobWork, WorkerOptOuts } from './hash-worker-protocol.js';
import { answerV3MapRequest, type V3MapAnswer, type V3MapRequest } from './v3-map-request.js';
import { joinV3JsonRuns, mapV3JsonRun, type V3JsonRun } from './map-v3-json.js';
import { HashWorkerSlot, type PoolJob, type SlotEvents } from './hash-worker-slot.js';
import { defaultHashWorkerEntry } from './start-hash-worker.js';

/** The log calls the pool makes (a pino logger fits); only codes and counts are logged. */
export interface PoolLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** The opt-out decision {@link HashPool.mapV3Json} applies, on the event loop or in the workers. */
export interface PoolOptOuts {
  /** The live policy (used when hashing on the event loop). */
  readonly policy: OptOutPolicy;
  /** The live index behind `policy`, created with `shared: true` (workers read it in place). */
  readonly index: OptOutIndex;
  /** The test identities' hashes behind `policy`, so workers build the same policy. */
  readonly testHashes: readonly TestIdentityHash[];
}

/** Options of {@link HashPool}. */
export interface HashPoolOptions {
  /**
   * The live salt table. Workers read one copy of it in shared memory, made when they start and
   * again before the first job after {@link HashPool.saltsChanged}.
   */
  readonly salts: SaltTable;
  readonly settings: MapSettings;
  /** Needed by {@link HashPool.mapV3Json}; without it that method fails with `ERR_NO_OPTOUTS`. */
  readonly optOuts?: PoolOptOuts;
  /** Worker threads (config `HASH_WORKERS`); 0 = hash on the event loop in chunks. */
  readonly threads: number;
  readonly logger?: PoolLogger;
  /** Requests with fewer identifiers in total are hashed at once on the event loop (default 64). */
  readonly inlineBelow?: number;
  /** Identifiers per event-loop chunk, with a `setImmediate` yield between chunks (default 250). */
  readonly chunkSize?: number;
  /** Largest job posted to a worker (default 1,000); jobs hold ≥ 100 ids when there are that many. */
  readonly maxJobSize?: number;
  /**
   * Nice increment of the worker threads (default 0): on Linux a positive value makes hashing yield
   * the CPU to the event loop, so short requests keep their latency while maps stream.
   */
  readonly nice?: number;
  /** Worker entry module; default `hash-worker.ts`/`.js` beside this file (tests pass a crashing one). */
  readonly workerEntry?: URL;
}

const MIN_JOB = 100;
const MAX_CRASH_STREAK = 3;

/**
 * Hashes identity-map identifiers off the event loop so a 5,000-id map never stalls short
 * requests (PERFORMANCE.md §5): normalization, DII hash, first-level hash, bucket and raw UIDs run
 * in worker threads, each holding its own copy of the salt table; the event loop only splits
 * requests into jobs of 100–1,000 ids (spread over the workers, at most two in flight per worker,
 * FIFO across requests) and joins the compact results. {@link HashPool.mapV3Json} goes further: the
 * workers also decide opt-outs (reading the shared opt-out index in place) and write the v3 items'
 * JSON, so the event loop only joins text. Requests under `inlineBelow` ids are hashed
 * at once, and with `threads: 0` everything runs on the event loop in chunks of `chunkSize` with
 * a yield between chunks.
 *
 * Workers start on first use (or {@link start}); see {@link HashWorkerSlot} for loading. A worker
 * that dies is replaced; its in-flight jobs are retried once, then fail with
 * `ERR_HASH_WORKER_CRASHED`. After three consecutive workers die without delivering a result
 * (e.g. the worker module cannot load) the pool logs an error and hashes on the event loop from
 * then on, queued jobs included.
 */
export class HashPool {
  private readonly slots: HashWorkerSlot[] = [];
  private readonly pending: PoolJob[] = [];
  private readonly inlineBelow: number;
  private readonly chunkSize: number;
  private readonly maxJobSize: number;
  private readonly events: SlotEvents;
  private nextId = 1;
  private crashStreak = 0;
  private segmentUpdates: SharedSegmentUpdate[] = [];
  private readonly random = new RandomPool();
  private readonly unsubscribeSegments: (() => void) | undefined;
  private started = false;
  private degraded = false;
  private closed = false;
  /** The workers' copy of the salt table (shared memory) and whether the live table changed since. */
  private saltCopy: SaltTableState | undefined;
  private saltsStale = false;

  constructor(private readonly options: HashPoolOptions) {
    this.inlineBelow = options.inlineBelow ?? 64;
    this.chunkSize = options.chunkSize ?? 250;
    this.maxJobSize = Math.max(MIN_JOB, options.maxJobSize ?? 1000);
    this.events = {
      available: () => this.dispatch(),
      settled: (job, outcome) => {
        if ('result' in outcome) {
          this.crashStreak = 0;
          job.resolve(outcome.result);
        } else {
          job.reject(new HashPoolError('ERR_HASH_FAILED', outcome.code));
        }
      },
      exited: (slot, exitCode, jobs) => this.onExit(slot, exitCode, jobs),
      failed: (errorName) => options.logger?.warn({ errName: errorName }, 'hashing worker failed'),
    };
    this.unsubscribeSegments = options.optOuts?.index.onSegmentReplaced((update) => {
      if (this.segmentUpdates.push(update) === 1) queueMicrotask(() => this.flushSegmentUpdates());
    });
  }

  /** Worker threads currently alive. */
  get workerCount(): number {
    return this.slots.length;
  }

  /** True once the pool gave up on workers and hashes on the event loop. */
  get isDegraded(): boolean {
    return this.degraded;
  }

  /**
   * Hashes every input as of `nowMs` (epoch ms); results are index-aligned with `inputs` and their
   * values, identical to {@link hashIdentities} on the live table.
   * @throws HashPoolError (rejection) when a job fails or the pool is closed; SaltError when hashing
   *   on the event loop meets a missing bucket
   */
  async map(inputs: readonly HashInput[], output: HashOutput, nowMs: number): Promise<HashedIdentities[]> {
    return (await this.run(inputs, output, nowMs)) as HashedIdentities[];
  }

  /**
   * `/v3/identity/map` items for every input as of `nowMs` (epoch ms): one {@link V3JsonRun} (the
   * items' JSON bytes) per input, index-aligned, with opt-outs decided by the pool's
   * {@link PoolOptOuts} (spec/api.md §7.2) — identical to {@link v3ItemsText} over
   * {@link HashPool.map}'s `v3` result and the live policy.
   * @throws HashPoolError (rejection) `ERR_NO_OPTOUTS` without `optOuts`, or as {@link HashPool.map}
   */
  async mapV3Json(inputs: readonly HashInput[], nowMs: number): Promise<V3JsonRun[]> {
    if (this.options.optOuts === undefined) throw new HashPoolError('ERR_NO_OPTOUTS');
    return (await this.run(inputs, 'v3-json', nowMs)) as V3JsonRun[];
  }

  /**
   * True when whole requests go to worker threads ({@link HashPool.answerV3Map}); false with
   * `threads: 0` or once the pool degraded, when callers should take their event-loop path.
   */
  get answersOnWorkers(): boolean {
    return this.options.threads > 0 && !this.degraded && !this.closed && this.options.optOuts !== undefined;
  }

  /** True while any job is queued or on a worker (a new request would wait for a worker). */
  get busy(): boolean {
    return this.pending.length > 0 || this.slots.some((slot) => slot.busy > 0);
  }

  /**
   * Answers a whole `/v3/identity/map` request on a worker thread ({@link answerV3MapRequest}):
   * envelope, parsing, mapping, opt-outs and sealing, so the event loop only moves bytes. Requests
   * queue FIFO with the other jobs; a degraded pool answers on the event loop.
   * @throws HashPoolError (rejection) as {@link HashPool.map}, `ERR_NO_OPTOUTS` without `optOuts`
   */
  async answerV3Map(request: V3MapRequest): Promise<V3MapAnswer> {
    if (this.closed) throw new HashPoolError('ERR_HASH_POOL_CLOSED');
    if (this.options.optOuts === undefined) throw new HashPoolError('ERR_NO_OPTOUTS');
    return (await this.enqueue({ kind: 'request', request })) as V3MapAnswer;
  }

  private async run(inputs: readonly HashInput[], output: JobOutput, nowMs: number): Promise<JobResult[]> {
    if (this.closed) throw new HashPoolError('ERR_HASH_POOL_CLOSED');
    let total = 0;
    for (const input of inputs) total += input.values.length;
    const { threads } = this.options;
    if (total < this.inlineBelow) return inputs.map((input) => this.compute(input, output, nowMs));
    if (threads <= 0 || this.degraded) return this.mapInChunks(inputs, output, nowMs);
    const jobSize = Math.min(this.maxJobSize, Math.max(MIN_JOB, Math.ceil(total / threads)));
    return Promise.all(inputs.map((input) => this.mapOnWorkers(input, output, nowMs, jobSize)));
  }

  /** One run of `input.values[from, to)` on this thread. */
  private compute(
    input: HashInput,
    output: JobOutput,
    nowMs: number,
    from = 0,
    to = input.values.length,
  ): JobResult {
    const { salts, settings, optOuts } = this.options;
    if (output !== 'v3-json') return hashIdentities(salts, settings, input, nowMs, output, from, to);
    if (optOuts === undefined) throw new HashPoolError('ERR_NO_OPTOUTS');
    return mapV3JsonRun(salts, settings, optOuts.policy, input, nowMs, from, to);
  }

  /** Starts the workers now (they otherwise start with the first large request). */
  start(): void {
    if (this.closed || this.started || this.options.threads <= 0) return;
    this.started = true;
    for (let i = 0; i < this.options.threads && !this.degraded; i++) this.spawn();
  }

  /**
   * Tells the pool the live salt table changed (a rotation, already applied). The workers get a new
   * shared copy before the next job is posted: one copy per burst of changes (a full reload comes
   * in 50,000-bucket batches), ≈ 170 bytes per bucket.
   */
  saltsChanged(): void {
    this.saltsStale = true;
  }

  /** The workers' shared copy of the salt table, made again (and sent to them) once stale. */
  private sharedSalts(): SaltTableState {
    if (this.saltCopy === undefined || this.saltsStale) {
      this.saltsStale = false;
      this.saltCopy = this.options.salts.exportState({ shared: true });
      for (const slot of this.slots) slot.sendSaltTable(this.saltCopy);
    }
    return this.saltCopy;
  }

  /** Fails queued and in-flight jobs with `ERR_HASH_POOL_CLOSED` and stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.pending.splice(0)) job.reject(new HashPoolError('ERR_HASH_POOL_CLOSED'));
    this.unsubscribeSegments?.();
    await Promise.all(this.slots.splice(0).map((slot) => slot.terminate()));
  }

  /** Sends the opt-out segments that moved since the last flush to every worker, in order. */
  private flushSegmentUpdates(): void {
    const updates = this.segmentUpdates;
    this.segmentUpdates = [];
    if (updates.length > 0) for (const slot of this.slots) slot.sendOptOutSegments(updates);
  }

  /** What a new worker needs to decide opt-outs itself (the index's current shared storage). */
  private workerOptOuts(): WorkerOptOuts | undefined {
    const optOuts = this.options.optOuts;
    if (optOuts === undefined) return undefined;
    // Updates not flushed yet are already part of the current storage.
    return { hashes: optOuts.index.shareFirstLevelHashes(), testHashes: optOuts.testHashes };
  }

  private async mapOnWorkers(
    input: HashInput,
    output: JobOutput,
    nowMs: number,
    jobSize: number,
  ): Promise<JobResult> {
    const parts: Promise<JobResult>[] = [];
    for (let from = 0; from < input.values.length; from += jobSize) {
      const values = input.values.slice(from, from + jobSize);
      const run = { type: input.type, form: input.form, values };
      parts.push(this.enqueue({ kind: 'hash', input: run, output, nowMs }));
    }
    return combine(output, await Promise.all(parts));
  }

  private async mapInChunks(
    inputs: readonly HashInput[],
    output: JobOutput,
    nowMs: number,
  ): Promise<JobResult[]> {
    const results: JobResult[] = [];
    let first = true;
    for (const input of inputs) {
      const parts: JobResult[] = [];
      for (let from = 0; from < input.values.length; from += this.chunkSize) {
        if (!first) await yieldToEventLoop();
        first = false;
        const to = Math.min(input.values.length, from + this.chunkSize);
        parts.push(this.compute(input, output, nowMs, from, to));
      }
      results.push(combine(output, parts));
    }
    return results;
  }

  private enqueue(work: JobWork): Promise<JobResult> {
    return new Promise((resolve, reject) => {
      const job: PoolJob = { id: this.nextId++, attempt: 0, work, resolve, reject };
      if (this.degraded) {
        this.runInline(job);
        return;
      }
      this.pending.push(job);
      this.start();
      this.dispatch();
    });
  }

  private runInline(job: PoolJob): void {
    const { work } = job;
    if (work.kind === 'request') {
      try {
        job.resolve(this.answerOnEventLoop(work.request));
      } catch (error) {
        job.reject(error as Error);
      }
      return;
    }
    this.mapInChunks([work.input], work.output, work.nowMs).then(([result]) => {
      if (result === undefined) job.reject(new HashPoolError('ERR_HASH_FAILED'));
      else job.resolve(result);
    }, job.reject);
  }

  /** {@link answerV3MapRequest} on this thread (a degraded pool): blocks the event loop for the batch. */
  private answerOnEventLoop(request: V3MapRequest): V3MapAnswer {
    const { salts, settings, optOuts } = this.options;
    if (optOuts === undefined) throw new HashPoolError('ERR_NO_OPTOUTS');
    return answerV3MapRequest(request, {
      source: salts,
      settings,
      policy: optOuts.policy,
      random: this.random,
    });
  }

  /** Posts queued jobs, oldest first, each to the least busy worker that can take one. */
  private dispatch(): void {
    // Jobs must see every opt-out and salt change made before them: both go out first.
    if (this.pending.length > 0) {
      this.flushSegmentUpdates();
      if (this.saltsStale) this.sharedSalts();
    }
    while (this.pending.length > 0) {
      let best: HashWorkerSlot | undefined;
      for (const slot of this.slots) {
        if (slot.canTakeJob && (best === undefined || slot.busy < best.busy)) best = slot;
      }
      const job = best === undefined ? undefined : this.pending.shift();
      if (best === undefined || job === undefined) return;
      best.post(job);
    }
  }

  private spawn(): void {
    const { settings, workerEntry } = this.options;
    try {
      this.slots.push(
        new HashWorkerSlot(
          workerEntry ?? defaultHashWorkerEntry(),
          this.sharedSalts(),
          settings,
          this.events,
          this.options.nice ?? 0,
          this.workerOptOuts(),
        ),
      );
    } catch (error) {
      this.degrade((error as Error).name);
    }
  }

  private onExit(slot: HashWorkerSlot, exitCode: number, jobs: PoolJob[]): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    if (this.closed) {
      for (const job of jobs) job.reject(new HashPoolError('ERR_HASH_POOL_CLOSED'));
      return;
    }
    this.options.logger?.warn({ exitCode, jobs: jobs.length }, 'hashing worker exited; starting a new one');
    for (const job of jobs.reverse()) {
      if (job.attempt > 0) {
        job.reject(new HashPoolError('ERR_HASH_WORKER_CRASHED'));
      } else {
        job.attempt = 1;
        this.pending.unshift(job);
      }
    }
    this.crashStreak = slot.productive ? 0 : this.crashStreak + 1;
    if (this.crashStreak >= MAX_CRASH_STREAK) this.degrade('ERR_HASH_WORKER_CRASHED');
    else this.spawn();
    this.dispatch();
  }

  /** Gives up on workers: queued jobs and all later requests are hashed on the event loop. */
  private degrade(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.options.logger?.error(
      { reason },
      'hashing workers unavailable; hashing identity maps on the event loop',
    );
    for (const job of this.pending.splice(0)) this.runInline(job);
  }
}

/** Joins the runs of one input: {@link concatHashed} or {@link joinV3JsonRuns} by output. */
function combine(output: JobOutput, parts: readonly JobResult[]): JobResult {
  return output === 'v3-json'
    ? joinV3JsonRuns(parts as readonly V3JsonRun[])
    : concatHashed(parts as readonly HashedIdentities[]);
}
