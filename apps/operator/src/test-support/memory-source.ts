import type { OptOutRecord } from '@uid2-operator/optout';
import type { SaltBucket } from '@uid2-operator/salt-buckets';
import type {
  ChangeSummary,
  OptOutPage,
  OptOutSnapshotWrite,
  SmallTables,
  StateSource,
  StoredOptOutSnapshot,
} from '../state/state-source.js';

/**
 * An in-memory {@link StateSource} for tests: tables can be replaced and opt-outs appended, and
 * `announce()` plays the part of a NOTIFY from another process.
 */
export class MemoryStateSource implements StateSource {
  private listeners = new Set<() => void>();
  private changed = new Set<string>();
  private version = 0;
  /** Set to make every call fail, as an unreachable database would. */
  failing = false;
  /** The stored opt-out snapshot (its chunks copied), as `saveOptOutSnapshot` left it. */
  snapshot: { throughSeq: number; entries: number; chunks: Uint8Array[] } | null = null;
  /** Set to make `saveOptOutSnapshot` answer "another process is writing one". */
  snapshotBusy = false;

  constructor(
    public tables: SmallTables,
    public buckets: readonly SaltBucket[],
    public optOuts: OptOutRecord[] = [],
  ) {}

  changeCursor(): Promise<string> {
    return this.call(() => String(this.version));
  }

  loadSmallTables(): Promise<SmallTables> {
    return this.call(() => this.tables);
  }

  async *streamSaltBuckets(batchSize: number): AsyncIterable<readonly SaltBucket[]> {
    await this.call(() => undefined);
    for (let i = 0; i < this.buckets.length; i += batchSize) yield this.buckets.slice(i, i + batchSize);
  }

  optOutsSince(cursor: number | null, limit: number): Promise<OptOutPage> {
    return this.call(() => {
      const start = cursor ?? 0;
      const records = this.optOuts.slice(start, start + limit);
      const next = start + records.length;
      return { records, cursor: next, more: next < this.optOuts.length };
    });
  }

  latestOptOutSnapshot(): Promise<StoredOptOutSnapshot | null> {
    return this.call(() => {
      const stored = this.snapshot;
      if (stored === null) return null;
      return {
        throughSeq: stored.throughSeq,
        bytes: stored.chunks.reduce((sum, chunk) => sum + chunk.length, 0),
        chunks: () => toAsync(stored.chunks),
      };
    });
  }

  async saveOptOutSnapshot(input: OptOutSnapshotWrite): Promise<boolean> {
    await this.call(() => undefined);
    if (this.snapshotBusy) return false;
    const chunks: Uint8Array[] = [];
    for await (const chunk of input.chunks) chunks.push(Uint8Array.from(chunk));
    this.snapshot = { throughSeq: input.throughSeq, entries: input.entries, chunks };
    return true;
  }

  changesSince(_cursor: string): Promise<ChangeSummary> {
    return this.call(() => {
      const entities = this.changed;
      this.changed = new Set();
      // Announced salt changes reload the whole (small) table; rotations by id are the database's.
      return {
        entities,
        saltChanges: [],
        saltMetadataChanged: entities.has('salt'),
        cursor: String(this.version),
      };
    });
  }

  changedSaltBuckets(_changeId: number): Promise<readonly SaltBucket[]> {
    return this.call(() => this.buckets);
  }

  addOptOuts(records: readonly OptOutRecord[]): Promise<number> {
    return this.call(() => {
      this.optOuts.push(...records);
      this.announce('optout');
      return records.length;
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Records a change of `entity` and notifies subscribers. */
  announce(entity: string): void {
    this.version += 1;
    this.changed.add(entity);
    for (const listener of this.listeners) listener();
  }

  private async call<T>(work: () => T): Promise<T> {
    await Promise.resolve();
    if (this.failing) throw Object.assign(new Error('database unreachable'), { code: 'ERR_DB_UNREACHABLE' });
    return work();
  }
}

async function* toAsync(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield await Promise.resolve(chunk);
}
