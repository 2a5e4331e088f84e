import {
  createOptOutPolicy,
  SharedOptOutHashReader,
  type OptOutPolicy,
  type SharedOptOutHashes,
  type SharedSegmentUpdate,
  type TestIdentityHash,
} from '@uid2-operator/optout';
import { restoreSaltTable, type SaltTable, type SaltTableState } from '@uid2-operator/salt-buckets';
import {
  hashIdentities,
  type HashedIdentities,
  type HashInput,
  type HashOutput,
  type MapSettings,
} from './hash-batch.js';
import { RandomPool } from '../lib/random-pool.js';
import { mapV3JsonRun, type V3JsonRun } from './map-v3-json.js';
import { answerV3MapRequest, type V3MapAnswer, type V3MapRequest } from './v3-map-request.js';

/** What a job asks for: compact hashes (`v2`/`v3`, opt-out checked by the caller) or v3 item JSON. */
export type JobOutput = HashOutput | 'v3-json';

/**
 * The result of a job: {@link HashedIdentities} for `v2`/`v3`, {@link V3JsonRun} for `v3-json`,
 * {@link V3MapAnswer} for a whole request.
 */
export type JobResult = HashedIdentities | V3JsonRun | V3MapAnswer;

/** What a job asks of a worker: a run of identifiers to hash, or a whole `/v3/identity/map` request. */
export type JobWork =
  | {
      readonly kind: 'hash';
      readonly input: HashInput;
      /** Request time, epoch ms. */
      readonly nowMs: number;
      readonly output: JobOutput;
    }
  | { readonly kind: 'request'; readonly request: V3MapRequest };

/**
 * The operator's opt-out index as a worker sees it: the shared first-level-hash table and the
 * test identities' hashes, so `v3-json` jobs decide opt-outs in the worker (spec/api.md §5.5).
 */
export interface WorkerOptOuts {
  readonly hashes: SharedOptOutHashes;
  readonly testHashes: readonly TestIdentityHash[];
}

/**
 * Messages the pool sends a hashing worker, processed strictly in order: `init` once, the salt
 * table (`salt-table`: bytes in shared memory, read in place; again after every salt change), and
 * jobs.
 */
export type ToHashWorker =
  | {
      readonly kind: 'init';
      readonly settings: MapSettings;
      /** Nice increment the thread applies to itself (0 = none; see `HASH_WORKER_NICE`). */
      readonly nice: number;
      /** Absent: the worker answers `v3-json` jobs `failed` (`ERR_NO_OPTOUTS`). */
      readonly optOuts?: WorkerOptOuts;
    }
  | { readonly kind: 'salt-table'; readonly state: SaltTableState }
  | { readonly kind: 'optout-segments'; readonly updates: readonly SharedSegmentUpdate[] }
  | {
      readonly kind: 'job';
      readonly id: number;
      /** 0 on the first try, 1 when retried after a worker crash. */
      readonly attempt: number;
      readonly work: JobWork;
    };

/**
 * Answers of a hashing worker: `ready` once `init` is applied (the module loaded and runs), then one
 * per job. `code` is an error code, never data.
 */
export type FromHashWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'hashed'; readonly id: number; readonly result: JobResult }
  | { readonly kind: 'failed'; readonly id: number; readonly code: string };

/** A reply plus the buffers to transfer (not copy) with it. */
export interface WorkerReply {
  readonly message: FromHashWorker;
  readonly transfer: ArrayBuffer[];
}

/**
 * The state of one hashing worker: the salt table (shared bytes the pool sends, replaced after a
 * salt change) and the settings. Kept free of `worker_threads` so it can be tested on the main thread.
 */
export class HashWorkerState {
  private table: SaltTable | undefined;
  private settings: MapSettings | undefined;
  private optOutReader: SharedOptOutHashReader | undefined;
  private policy: Pick<OptOutPolicy, 'isOptedOutAt'> | undefined;
  private readonly random = new RandomPool();

  /**
   * Applies one message; returns the reply to post (`ready` for `init`, the result of a `hash`
   * job), or `undefined` for salt rows and opt-out segment updates.
   * A failing job (missing bucket, or a job before `init`) is answered `failed` with the error's
   * `code` (or name); salt rows that do not load throw, which ends the worker (the pool restarts it).
   */
  handle(message: ToHashWorker): WorkerReply | undefined {
    switch (message.kind) {
      case 'init':
        this.settings = message.settings;
        if (message.optOuts !== undefined) {
          const reader = new SharedOptOutHashReader(message.optOuts.hashes);
          this.optOutReader = reader;
          this.policy = createOptOutPolicy({
            testHashes: message.optOuts.testHashes,
            index: {
              isOptedOut: (flh) => reader.isOptedOut(flh),
              isOptedOutAt: (bytes, offset) => reader.isOptedOutAt(bytes, offset),
              advertisingIdOptedOutSince: () => {
                throw new TypeError('advertising ids are not checked in hashing workers');
              },
            },
          });
        }
        return { message: { kind: 'ready' }, transfer: [] };
      case 'optout-segments':
        if (this.optOutReader === undefined) throw new Error('opt-out segments without shared opt-outs');
        for (const update of message.updates) this.optOutReader.replaceSegment(update);
        return undefined;
      case 'salt-table':
        this.table = restoreSaltTable(message.state);
        return undefined;
      case 'job':
        return this.run(message.id, message.work);
    }
  }

  private run(id: number, work: JobWork): WorkerReply {
    try {
      if (this.table === undefined || this.settings === undefined) throw new Error('hash job before init');
      if (work.kind === 'request' || work.output === 'v3-json') {
        const policy = this.policy;
        if (policy === undefined) throw Object.assign(new Error('no opt-outs'), { code: 'ERR_NO_OPTOUTS' });
        if (work.kind === 'request') {
          const context = { source: this.table, settings: this.settings, policy, random: this.random };
          const answer = answerV3MapRequest(work.request, context);
          return {
            message: { kind: 'hashed', id, result: answer },
            transfer: answer.ok ? [answer.body.buffer as ArrayBuffer] : [],
          };
        }
        const run = mapV3JsonRun(this.table, this.settings, policy, work.input, work.nowMs);
        return { message: { kind: 'hashed', id, result: run }, transfer: [run.json.buffer as ArrayBuffer] };
      }
      const result = hashIdentities(this.table, this.settings, work.input, work.nowMs, work.output);
      return {
        message: { kind: 'hashed', id, result },
        transfer: [result.firstLevelHashes.buffer as ArrayBuffer, result.refreshFromMs.buffer as ArrayBuffer],
      };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return {
        message: {
          kind: 'failed',
          id,
          code: typeof code === 'string' ? code : (error as Error).name,
        },
        transfer: [],
      };
    }
  }
}
