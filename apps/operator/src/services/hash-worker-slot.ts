import type { Worker } from 'node:worker_threads';
import type { SaltTableState } from '@uid2-operator/salt-buckets';
import type { SharedSegmentUpdate } from '@uid2-operator/optout';
import type { MapSettings } from './hash-batch.js';
import type {
  FromHashWorker,
  JobResult,
  JobWork,
  ToHashWorker,
  WorkerOptOuts,
} from './hash-worker-protocol.js';
import { startHashWorker } from './start-hash-worker.js';

/** A job of the pool (a run of identifiers, or a whole request) with its promise callbacks. */
export interface PoolJob {
  readonly id: number;
  /** 0 on the first try, 1 after a worker crash. */
  attempt: number;
  readonly work: JobWork;
  readonly resolve: (result: JobResult) => void;
  readonly reject: (error: Error) => void;
}

/** What a {@link HashWorkerSlot} reports to its pool. */
export interface SlotEvents {
  /** The slot may take (more) jobs now. */
  readonly available: () => void;
  /** A job ended with the worker's result or its error code. */
  readonly settled: (
    job: PoolJob,
    outcome: { readonly result: JobResult } | { readonly code: string },
  ) => void;
  /** The thread ended; `jobs` were in flight on it and did not settle. */
  readonly exited: (slot: HashWorkerSlot, exitCode: number, jobs: PoolJob[]) => void;
  /** The thread raised an uncaught error (an `exited` follows). */
  readonly failed: (errorName: string) => void;
}

/** Jobs posted to one worker before it answers (keeps it busy without hoarding the queue). */
const MAX_IN_FLIGHT = 2;

/**
 * One hashing worker thread as the pool sees it. On creation it starts the thread and sends `init`
 * and the shared salt table; it takes jobs once the worker answered `ready` (messages are
 * processed in order, so every job sees the table sent before it).
 */
export class HashWorkerSlot {
  private readonly worker: Worker;
  private readonly inFlight = new Map<number, PoolJob>();
  private ready = false;
  private alive = true;
  private delivered = false;

  /** @throws when the thread cannot be started (e.g. no tsx for a `.ts` entry) */
  constructor(
    entry: URL,
    salts: SaltTableState,
    settings: MapSettings,
    private readonly events: SlotEvents,
    nice = 0,
    optOuts?: WorkerOptOuts,
  ) {
    this.worker = startHashWorker(entry);
    this.worker.on('message', (message: FromHashWorker) => this.onMessage(message));
    this.worker.on('error', (error: Error) => events.failed(error.name));
    this.worker.on('exit', (exitCode: number) => this.onExit(exitCode));
    this.send({ kind: 'init', settings, nice, ...(optOuts === undefined ? {} : { optOuts }) });
    this.sendSaltTable(salts);
  }

  /** Jobs posted and not yet settled. */
  get busy(): number {
    return this.inFlight.size;
  }

  /** Alive, ready (holding the whole salt table) and below its in-flight limit. */
  get canTakeJob(): boolean {
    return this.alive && this.ready && this.inFlight.size < MAX_IN_FLIGHT;
  }

  /** Whether this worker delivered at least one result. */
  get productive(): boolean {
    return this.delivered;
  }

  /** Posts a job (check {@link canTakeJob} first). */
  post(job: PoolJob): void {
    this.inFlight.set(job.id, job);
    this.updateRef();
    const { id, attempt, work } = job;
    this.send({ kind: 'job', id, attempt, work });
  }

  /**
   * Hands the worker the salt table: two byte arrays in shared memory that every worker reads in
   * place (no per-bucket objects, no copy per worker). Jobs posted later see it.
   */
  sendSaltTable(salts: SaltTableState): void {
    if (this.alive) this.send({ kind: 'salt-table', state: salts });
  }

  /** Forwards opt-out segments that moved to new shared storage (see `SharedOptOutHashReader`). */
  sendOptOutSegments(updates: readonly SharedSegmentUpdate[]): void {
    if (this.alive) this.send({ kind: 'optout-segments', updates });
  }

  /** Stops the thread; its in-flight jobs are reported through `exited`. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  /** Keeps the process alive while the worker starts up or has jobs in flight, not while it idles. */
  private updateRef(): void {
    if (this.ready && this.inFlight.size === 0) this.worker.unref();
    else this.worker.ref();
  }

  private send(message: ToHashWorker): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: FromHashWorker): void {
    if (message.kind === 'ready') {
      this.ready = true;
      this.updateRef();
      this.events.available();
      return;
    }
    const job = this.inFlight.get(message.id);
    if (job === undefined) return;
    this.inFlight.delete(message.id);
    this.updateRef();
    if (message.kind === 'hashed') {
      this.delivered = true;
      this.events.settled(job, { result: message.result });
    } else {
      this.events.settled(job, { code: message.code });
    }
    this.events.available();
  }

  private onExit(exitCode: number): void {
    this.alive = false;
    const jobs = [...this.inFlight.values()];
    this.inFlight.clear();
    this.events.exited(this, exitCode, jobs);
  }
}
