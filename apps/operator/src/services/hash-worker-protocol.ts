import { createSaltTable, type SaltBucket, type SaltTable } from '@uid2-operator/salt-buckets';
import {
  hashIdentities,
  type HashedIdentities,
  type HashInput,
  type HashOutput,
  type MapSettings,
} from './hash-batch.js';

/**
 * Messages the pool sends a hashing worker, processed strictly in order: `init` once, then salt
 * `buckets` (the whole table at start, rotated buckets later) and `hash` jobs.
 */
export type ToHashWorker =
  | {
      readonly kind: 'init';
      readonly firstLevelSalt: string;
      readonly bucketCount: number;
      readonly settings: MapSettings;
      /** Nice increment the thread applies to itself (0 = none; see `HASH_WORKER_NICE`). */
      readonly nice: number;
    }
  | { readonly kind: 'buckets'; readonly buckets: readonly SaltBucket[] }
  | {
      readonly kind: 'hash';
      readonly id: number;
      /** 0 on the first try, 1 when retried after a worker crash. */
      readonly attempt: number;
      readonly input: HashInput;
      /** Request time, epoch ms. */
      readonly nowMs: number;
      readonly output: HashOutput;
    };

/**
 * Answers of a hashing worker: `ready` once `init` is applied (the module loaded and runs), then one
 * per `hash` job. `code` is an error code, never data.
 */
export type FromHashWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'hashed'; readonly id: number; readonly result: HashedIdentities }
  | { readonly kind: 'failed'; readonly id: number; readonly code: string };

/** A reply plus the buffers to transfer (not copy) with it. */
export interface WorkerReply {
  readonly message: FromHashWorker;
  readonly transfer: ArrayBuffer[];
}

/**
 * The state of one hashing worker: its own copy of the salt table (built from the rows the pool
 * sends) and the settings. Kept free of `worker_threads` so it can be tested on the main thread.
 */
export class HashWorkerState {
  private table: SaltTable | undefined;
  private settings: MapSettings | undefined;

  /**
   * Applies one message; returns the reply to post (`ready` for `init`, the result of a `hash`
   * job), or `undefined` for salt rows.
   * A failing job (missing bucket, or a job before `init`) is answered `failed` with the error's
   * `code` (or name); salt rows that do not load throw, which ends the worker (the pool restarts it).
   */
  handle(message: ToHashWorker): WorkerReply | undefined {
    switch (message.kind) {
      case 'init':
        this.table = createSaltTable({
          firstLevelSalt: message.firstLevelSalt,
          bucketCount: message.bucketCount,
        });
        this.settings = message.settings;
        return { message: { kind: 'ready' }, transfer: [] };
      case 'buckets':
        if (this.table === undefined) throw new Error('salt buckets before init');
        this.table.setAll(message.buckets);
        return undefined;
      case 'hash':
        return this.hash(message);
    }
  }

  private hash(job: Extract<ToHashWorker, { kind: 'hash' }>): WorkerReply {
    try {
      if (this.table === undefined || this.settings === undefined) throw new Error('hash job before init');
      const result = hashIdentities(this.table, this.settings, job.input, job.nowMs, job.output);
      return {
        message: { kind: 'hashed', id: job.id, result },
        transfer: [result.firstLevelHashes.buffer as ArrayBuffer, result.refreshFromMs.buffer as ArrayBuffer],
      };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return {
        message: {
          kind: 'failed',
          id: job.id,
          code: typeof code === 'string' ? code : (error as Error).name,
        },
        transfer: [],
      };
    }
  }
}
