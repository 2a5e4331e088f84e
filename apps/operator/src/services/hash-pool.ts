import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { SaltBucket, SaltTable } from '@uid2-operator/salt-buckets';
import {
  concatHashed,
  hashIdentities,
  type HashedIdentities,
  type HashInput,
  type HashOutput,
  type MapSettings,
} from './hash-batch.js';
import { HashPoolError } from './hash-pool-error.js';
import { HashWorkerSlot, type PoolJob, type SlotEvents } from './hash-worker-slot.js';
import { defaultHashWorkerEntry } from './start-hash-worker.js';

/** The log calls the pool makes (a pino logger fits); only codes and counts are logged. */
export interface PoolLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** Options of {@link HashPool}. */
export interface HashPoolOptions {
  /** The live salt table; workers get a copy at start and {@link HashPool.updateBuckets} later. */
  readonly salts: SaltTable;
  readonly settings: MapSettings;
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
 * FIFO across requests) and joins the compact results. Requests under `inlineBelow` ids are hashed
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
  private started = false;
  private degraded = false;
  private closed = false;

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
    if (this.closed) throw new HashPoolError('ERR_HASH_POOL_CLOSED');
    let total = 0;
    for (const input of inputs) total += input.values.length;
    const { salts, settings, threads } = this.options;
    if (total < this.inlineBelow)
      return inputs.map((input) => hashIdentities(salts, settings, input, nowMs, output));
    if (threads <= 0 || this.degraded) return this.mapInChunks(inputs, output, nowMs);
    const jobSize = Math.min(this.maxJobSize, Math.max(MIN_JOB, Math.ceil(total / threads)));
    return Promise.all(inputs.map((input) => this.mapOnWorkers(input, output, nowMs, jobSize)));
  }

  /** Starts the workers now (they otherwise start with the first large request). */
  start(): void {
    if (this.closed || this.started || this.options.threads <= 0) return;
    this.started = true;
    for (let i = 0; i < this.options.threads && !this.degraded; i++) this.spawn();
  }

  /** Forwards rotated salt buckets (already applied to the live table) to every worker. */
  updateBuckets(buckets: readonly SaltBucket[]): void {
    for (const slot of this.slots) slot.sendBuckets(buckets);
  }

  /** Fails queued and in-flight jobs with `ERR_HASH_POOL_CLOSED` and stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.pending.splice(0)) job.reject(new HashPoolError('ERR_HASH_POOL_CLOSED'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.terminate()));
  }

  private async mapOnWorkers(
    input: HashInput,
    output: HashOutput,
    nowMs: number,
    jobSize: number,
  ): Promise<HashedIdentities> {
    const parts: Promise<HashedIdentities>[] = [];
    for (let from = 0; from < input.values.length; from += jobSize) {
      const values = input.values.slice(from, from + jobSize);
      parts.push(this.enqueue({ type: input.type, form: input.form, values }, output, nowMs));
    }
    return concatHashed(await Promise.all(parts));
  }

  private async mapInChunks(
    inputs: readonly HashInput[],
    output: HashOutput,
    nowMs: number,
  ): Promise<HashedIdentities[]> {
    const { salts, settings } = this.options;
    const results: HashedIdentities[] = [];
    let first = true;
    for (const input of inputs) {
      const parts: HashedIdentities[] = [];
      for (let from = 0; from < input.values.length; from += this.chunkSize) {
        if (!first) await yieldToEventLoop();
        first = false;
        const to = Math.min(input.values.length, from + this.chunkSize);
        parts.push(hashIdentities(salts, settings, input, nowMs, output, from, to));
      }
      results.push(concatHashed(parts));
    }
    return results;
  }

  private enqueue(input: HashInput, output: HashOutput, nowMs: number): Promise<HashedIdentities> {
    return new Promise((resolve, reject) => {
      const job: PoolJob = { id: this.nextId++, attempt: 0, input, nowMs, output, resolve, reject };
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
    this.mapInChunks([job.input], job.output, job.nowMs).then(([result]) => {
      if (result === undefined) job.reject(new HashPoolError('ERR_HASH_FAILED'));
      else job.resolve(result);
    }, job.reject);
  }

  /** Posts queued jobs, oldest first, each to the least busy worker that can take one. */
  private dispatch(): void {
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
    const { salts, settings, workerEntry } = this.options;
    try {
      this.slots.push(
        new HashWorkerSlot(
          workerEntry ?? defaultHashWorkerEntry(),
          salts,
          settings,
          this.events,
          this.options.nice ?? 0,
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
