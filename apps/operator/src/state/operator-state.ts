import { diiHashOf } from '@uid2-operator/dii-normalize';
import {
  createOptOutPolicy,
  OptOutIndex,
  TEST_IDENTITIES,
  type OptOutPolicy,
  type OptOutRecord,
  type TestIdentityHash,
} from '@uid2-operator/optout';
import {
  createSaltTable,
  firstLevelHash,
  type SaltBucket,
  type SaltTable,
} from '@uid2-operator/salt-buckets';
import { createKeyRing, type KeyRing, type Keyset } from '@uid2-operator/token-core';
import type { Logger } from 'pino';
import type { OperatorConfig } from '../config.js';
import type { SnapshotAges } from '../plugins/metrics.js';
import { ApiKeyIndex } from './api-keys.js';
import { CstgKeypairs } from './cstg-keypairs.js';
import type { SiteInfo, SmallTables, StateSource } from './state-source.js';

export type { SiteInfo } from './state-source.js';

/** Small, immutable tables that are swapped whole when the database changes. */
export interface Snapshot {
  readonly keyRing: KeyRing;
  readonly keysets: readonly Keyset[];
  readonly apiKeys: ApiKeyIndex;
  readonly sites: ReadonlyMap<number, SiteInfo>;
  readonly keypairs: CstgKeypairs;
}

/** Result of {@link OperatorState.health}. */
export type Health =
  | { readonly status: 'ok' }
  | { readonly status: 'degraded'; readonly reason: string }
  | { readonly status: 'down'; readonly reason: string };

const DEGRADED_AFTER_MS = 10_000;

/**
 * Everything the operator answers from: keys, keysets, API keys, sites, CSTG keypairs, the salt
 * table and the opt-out index, loaded from the database at start and kept current from the change
 * log (woken by NOTIFY, polled every `REFRESH_POLL_MS` as a fallback). When the database is away
 * the last snapshot keeps serving and {@link health} reports `degraded`.
 */
export class OperatorState {
  snapshot: Snapshot;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private refreshing: Promise<void> | undefined;
  private pending = false;
  private lastSyncMs: number;
  private lastError: string | undefined;
  private stopped = false;
  private readonly saltListeners = new Set<(buckets: readonly SaltBucket[]) => void>();
  private snapshotWrite: Promise<void> | undefined;
  private snapshotRetryAtMs = 0;

  private constructor(
    private readonly source: StateSource,
    private readonly config: OperatorConfig,
    private readonly logger: Logger,
    snapshot: Snapshot,
    readonly salts: SaltTable,
    readonly optOuts: OptOutIndex,
    readonly policy: OptOutPolicy,
    /** The test identities' first-level hashes behind {@link policy} (hashing workers rebuild it). */
    readonly testHashes: readonly TestIdentityHash[],
    private changeCursor: string,
    private optOutCursor: number | null,
    /** `throughSeq` of the newest stored opt-out snapshot this process knows of (0: none). */
    private snapshotSeq: number,
  ) {
    this.snapshot = snapshot;
    this.lastSyncMs = Date.now();
  }

  /** Loads the whole snapshot (readiness waits for this). */
  static async load(source: StateSource, config: OperatorConfig, logger: Logger): Promise<OperatorState> {
    const phases: Record<string, number> = {};
    let mark = performance.now();
    const lap = (phase: string): void => {
      const now = performance.now();
      phases[phase] = Math.round(now - mark);
      mark = now;
    };
    const changeCursor = await source.changeCursor();
    const small = await source.loadSmallTables();
    lap('tablesMs');
    const salts = createSaltTable({
      firstLevelSalt: small.saltMetadata.firstLevelSalt,
      bucketCount: small.saltMetadata.bucketCount,
    });
    // The opt-out snapshot loads while the salt buckets stream (the database and this process
    // take turns on both). Shared: the hashing workers check identity-map opt-outs on this index in
    // place. A stored snapshot spares reading (and indexing) every record; only later ones are read.
    const snapshotLoad = loadOptOutSnapshot(source, logger);
    try {
      for await (const batch of source.streamSaltBuckets(50_000)) salts.setAll(batch);
    } catch (error) {
      await snapshotLoad;
      throw error;
    }
    lap('saltBucketsMs');
    const stored = await snapshotLoad;
    const optOuts = stored?.index ?? new OptOutIndex({ shared: true });
    lap('optOutSnapshotWaitMs');
    const testHashes = testIdentityHashes(small.saltMetadata.firstLevelSalt, config.identityScope);
    const policy = createOptOutPolicy({ testHashes, index: optOuts });
    const state = new OperatorState(
      source,
      config,
      logger,
      buildSnapshot(small),
      salts,
      optOuts,
      policy,
      testHashes,
      changeCursor,
      stored?.throughSeq ?? null,
      stored?.throughSeq ?? 0,
    );
    await state.refreshOptOuts();
    lap('optOutRecordsMs');
    state.loadPhasesMs = phases;
    return state;
  }

  /** How long each start-up phase took, ms (tables, salt buckets, opt-out snapshot, opt-out records). */
  loadPhasesMs: Readonly<Record<string, number>> = {};

  /**
   * Starts following the change log: NOTIFY wakes a refresh; a timer polls as a fallback. Also
   * writes an opt-out snapshot when the stored one lags by `OPTOUT_SNAPSHOT_RECORDS` or more.
   */
  follow(): void {
    this.unsubscribe = this.source.subscribe(() => this.requestRefresh());
    this.timer = setInterval(() => this.requestRefresh(), this.config.refreshPollMs);
    this.timer.unref();
    this.maybeWriteSnapshot();
  }

  /** Stops following changes and waits for a refresh and a snapshot write in flight (the write is cut short). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.refreshing;
    await this.snapshotWrite;
  }

  /** The opt-out snapshot write in flight, if any (tests wait for it). */
  get snapshotWriting(): Promise<void> | undefined {
    return this.snapshotWrite;
  }

  /**
   * Writes an opt-out index snapshot in the background when the records written after the newest
   * stored snapshot (by sequence number) reach `OPTOUT_SNAPSHOT_RECORDS`: one write at a time,
   * none while another process writes one, a failure retried after {@link SNAPSHOT_RETRY_MS}.
   */
  private maybeWriteSnapshot(): void {
    const every = this.config.optOutSnapshotRecords;
    const cursor = this.optOutCursor ?? 0;
    if (every === 0 || this.stopped || this.snapshotWrite !== undefined) return;
    if (cursor - this.snapshotSeq < every || Date.now() < this.snapshotRetryAtMs) return;
    const started = performance.now();
    this.snapshotWrite = this.writeSnapshot(cursor)
      .then(
        (written) => {
          if (written) {
            this.logger.info(
              { throughSeq: cursor, optOuts: this.optOuts.size, ms: Math.round(performance.now() - started) },
              'opt-out snapshot written',
            );
          }
        },
        (error: unknown) => {
          this.snapshotRetryAtMs = Date.now() + SNAPSHOT_RETRY_MS;
          if (!this.stopped) {
            this.logger.warn(
              { errCode: errorCodeOf(error) },
              'opt-out snapshot write failed; retrying later',
            );
          }
        },
      )
      .finally(() => {
        this.snapshotWrite = undefined;
      });
  }

  /** Writes the snapshot unless a newer stored one makes it unnecessary; true when written. */
  private async writeSnapshot(throughSeq: number): Promise<boolean> {
    const latest = await this.source.latestOptOutSnapshot();
    if (latest !== null && latest.throughSeq > this.snapshotSeq) {
      this.snapshotSeq = latest.throughSeq;
      if (throughSeq - latest.throughSeq < this.config.optOutSnapshotRecords) return false;
    }
    const written = await this.source.saveOptOutSnapshot({
      throughSeq,
      entries: this.optOuts.size,
      chunks: untilStopped(this.optOuts.snapshot(), () => this.stopped),
    });
    if (written) this.snapshotSeq = throughSeq;
    else this.snapshotRetryAtMs = Date.now() + SNAPSHOT_RETRY_MS;
    return written;
  }

  /** Database reachability and snapshot freshness as of `nowMs`. */
  health(nowMs: number): Health {
    const age = nowMs - this.lastSyncMs;
    if (this.lastError !== undefined && age > Math.max(DEGRADED_AFTER_MS, 3 * this.config.refreshPollMs)) {
      return {
        status: 'degraded',
        reason: `database unreachable for ${Math.round(age / 1000)} s; serving from the last snapshot`,
      };
    }
    return { status: 'ok' };
  }

  /** Figures for `/metrics`. */
  ages(nowMs: number): SnapshotAges {
    return {
      snapshotAgeSeconds: (nowMs - this.lastSyncMs) / 1000,
      optOutCount: this.optOuts.size,
      saltBucketCount: this.salts.bucketCount,
    };
  }

  /** Sizes for the start-up log line. */
  counts(): Record<string, number> {
    return {
      keys: this.snapshot.keyRing.keys.length,
      apiKeys: this.snapshot.apiKeys.size,
      saltBuckets: this.salts.bucketCount,
      optOuts: this.optOuts.size,
    };
  }

  /**
   * Records an opt-out: committed to the database before this resolves, in force in this process
   * at once and in every other process at its next refresh (NOTIFY, or the poll interval).
   * @throws whatever the store throws when the database is unreachable (nothing is half-written)
   */
  async recordOptOut(record: OptOutRecord): Promise<void> {
    await this.source.addOptOuts([record]);
    this.optOuts.add(record);
  }

  /**
   * Calls `listener` with every batch of salt buckets written into {@link salts} after the initial
   * load (a salt change re-streams the table in batches of up to 50,000), synchronously, right after
   * the batch is applied. Holders of salt copies (the identity-map hashing workers) use it to stay
   * current. A throwing listener is logged (by error name only) and does not stop the refresh.
   * @returns a function that removes the listener
   */
  onSaltsChanged(listener: (buckets: readonly SaltBucket[]) => void): () => void {
    this.saltListeners.add(listener);
    return () => this.saltListeners.delete(listener);
  }

  private applySalts(buckets: readonly SaltBucket[]): void {
    if (buckets.length === 0) return;
    this.salts.setAll(buckets);
    this.notifySaltsChanged(buckets);
  }

  private notifySaltsChanged(buckets: readonly SaltBucket[]): void {
    for (const listener of this.saltListeners) {
      try {
        listener(buckets);
      } catch (error) {
        this.logger.error({ errName: (error as Error).name }, 'salt change listener failed');
      }
    }
  }

  /** Catches up with the database now (tests and the logout endpoint use it). */
  refreshNow(): Promise<void> {
    this.requestRefresh();
    return this.refreshing ?? Promise.resolve();
  }

  private requestRefresh(): void {
    if (this.stopped) return;
    if (this.refreshing) {
      this.pending = true;
      return;
    }
    this.refreshing = this.refresh()
      .then(
        () => {
          this.lastSyncMs = Date.now();
          if (this.lastError !== undefined) this.logger.info('database reachable again; snapshot caught up');
          this.lastError = undefined;
          this.maybeWriteSnapshot();
        },
        (error: unknown) => {
          const code = errorCodeOf(error);
          if (this.lastError === undefined)
            this.logger.warn({ errCode: code }, 'snapshot refresh failed; serving from the last snapshot');
          this.lastError = code;
        },
      )
      .finally(() => {
        this.refreshing = undefined;
        if (this.pending) {
          this.pending = false;
          this.requestRefresh();
        }
      });
  }

  private async refresh(): Promise<void> {
    const { entities, saltChanges, saltMetadataChanged, cursor } = await this.source.changesSince(
      this.changeCursor,
    );
    // Opt-outs are read every time: the cheapest way to be current within one poll interval.
    await this.refreshOptOuts();
    if (saltMetadataChanged) {
      for await (const batch of this.source.streamSaltBuckets(50_000)) this.applySalts(batch);
    } else {
      // A rotation touches ~1/365 of the buckets: read just those.
      for (const changeId of saltChanges) this.applySalts(await this.source.changedSaltBuckets(changeId));
    }
    if ([...entities].some((entity) => entity !== 'optout' && entity !== 'salt')) {
      this.snapshot = buildSnapshot(await this.source.loadSmallTables());
    }
    this.changeCursor = cursor;
  }

  /**
   * Reads opt-outs after the cursor until caught up. Pipelined: the next page is requested before
   * this one is indexed, so the database builds it while the index grows (a 10 M start-up load
   * spends about as long in each).
   */
  private async refreshOptOuts(): Promise<void> {
    let next = this.source.optOutsSince(this.optOutCursor, OPT_OUT_PAGE);
    for (;;) {
      const page = await next;
      if (page.more) next = this.source.optOutsSince(page.cursor, OPT_OUT_PAGE);
      try {
        for (const record of page.records) this.optOuts.add(record);
      } catch (error) {
        if (page.more) next.catch(() => undefined); // abandoned; its own failure is moot
        throw error;
      }
      this.optOutCursor = page.cursor;
      if (!page.more) return;
    }
  }
}

/** Opt-outs read per database round trip. */
const OPT_OUT_PAGE = 50_000;

/** Wait before the next opt-out snapshot attempt after a failed or skipped one (10 minutes). */
const SNAPSHOT_RETRY_MS = 10 * 60_000;

/** `chunks`, cut short by an error once `stopped()` (the store then deletes the partial snapshot). */
function* untilStopped(chunks: Iterable<Uint8Array>, stopped: () => boolean): Generator<Uint8Array> {
  for (const chunk of chunks) {
    if (stopped()) throw new Error('operator stopping');
    yield chunk;
  }
}

/**
 * The index from the newest stored opt-out snapshot and its cursor, or null when there is none or
 * it does not load (logged by error code; start-up then reads every record, as without one).
 */
async function loadOptOutSnapshot(
  source: StateSource,
  logger: Logger,
): Promise<{ readonly index: OptOutIndex; readonly throughSeq: number } | null> {
  const started = performance.now();
  try {
    const stored = await source.latestOptOutSnapshot();
    if (stored === null) return null;
    const index = await OptOutIndex.fromSnapshot(stored.chunks(), { shared: true });
    logger.info(
      {
        throughSeq: stored.throughSeq,
        optOuts: index.size,
        bytes: stored.bytes,
        ms: Math.round(performance.now() - started),
      },
      'opt-out index loaded from snapshot',
    );
    return { index, throughSeq: stored.throughSeq };
  } catch (error) {
    logger.warn({ errCode: errorCodeOf(error) }, 'opt-out snapshot not usable; reading every opt-out record');
    return null;
  }
}

/** What a log line may carry of an error: its `code`, or else its class name (never its message). */
function errorCodeOf(error: unknown): string {
  return (error as { code?: string }).code ?? (error as Error).name;
}

function buildSnapshot(data: SmallTables): Snapshot {
  return {
    keyRing: createKeyRing(data.keys, data.keysets),
    keysets: data.keysets,
    apiKeys: new ApiKeyIndex(data.apiKeys),
    sites: new Map(data.sites.map((site) => [site.id, site])),
    keypairs: new CstgKeypairs(data.keypairs),
  };
}

/** First-level hashes of the spec's test identities under this deployment's first-level salt. */
function testIdentityHashes(firstLevelSalt: string, scope: 'UID2' | 'EUID'): TestIdentityHash[] {
  return TEST_IDENTITIES.map((identity) => {
    const dii = diiHashOf(identity.type, 'raw', identity.dii);
    if (dii === null) throw new Error('a built-in test identity failed normalization');
    return { dii: identity.dii, scope, firstLevelHash: firstLevelHash(dii, firstLevelSalt) };
  });
}
