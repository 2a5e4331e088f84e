import type { OptOutRecord } from '@uid2-operator/optout';
import type { SaltBucket } from '@uid2-operator/salt-buckets';
import type { EncryptionKey, Keyset } from '@uid2-operator/token-core';
import type { ApiClient } from './api-keys.js';
import type { CstgKeypairRecord } from './cstg-keypairs.js';

/** A site as the key and CSTG endpoints need it. */
export interface SiteInfo {
  readonly id: number;
  readonly enabled: boolean;
  readonly domainNames: readonly string[];
  readonly appNames: readonly string[];
}

/** The small tables, reloaded whole whenever one of them changes. */
export interface SmallTables {
  readonly sites: readonly SiteInfo[];
  readonly apiKeys: readonly ApiClient[];
  readonly keysets: readonly Keyset[];
  readonly keys: readonly EncryptionKey[];
  readonly keypairs: readonly CstgKeypairRecord[];
  readonly saltMetadata: { readonly firstLevelSalt: string; readonly bucketCount: number };
}

/** A page of new opt-outs. */
export interface OptOutPage {
  readonly records: readonly OptOutRecord[];
  readonly cursor: number;
  /** True when more records are waiting: ask again at once. */
  readonly more: boolean;
}

/** A stored opt-out index snapshot (`OptOutIndex.snapshot`), see {@link StateSource.latestOptOutSnapshot}. */
export interface StoredOptOutSnapshot {
  /** Every opt-out up to this cursor is in the snapshot: read on with `optOutsSince(throughSeq)`. */
  readonly throughSeq: number;
  /** Its size in bytes. */
  readonly bytes: number;
  /** Its bytes, in order (`OptOutIndex.fromSnapshot` input). */
  chunks(): AsyncIterable<Uint8Array>;
}

/** An opt-out index snapshot to store, see {@link StateSource.saveOptOutSnapshot}. */
export interface OptOutSnapshotWrite {
  readonly throughSeq: number;
  /** Distinct first-level hashes in it. */
  readonly entries: number;
  /** `OptOutIndex.snapshot()` chunks. */
  readonly chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

/** What changed since a change-log cursor. */
export interface ChangeSummary {
  readonly entities: ReadonlySet<string>;
  /** Change ids of salt-bucket rotations, ascending. */
  readonly saltChanges: readonly number[];
  /** True when the salt metadata changed (the whole table must be reloaded). */
  readonly saltMetadataChanged: boolean;
  readonly cursor: string;
}

/**
 * Where the operator's in-memory state comes from: the database in production
 * ({@link ./db-state-source.ts}), fixtures in tests. Cursors are opaque to the state holder.
 */
export interface StateSource {
  /** Current position of the change log (read before the tables, so nothing is missed). */
  changeCursor(): Promise<string>;
  loadSmallTables(): Promise<SmallTables>;
  streamSaltBuckets(batchSize: number): AsyncIterable<readonly SaltBucket[]>;
  /** Opt-outs written after `cursor` (`null` = from the beginning). */
  optOutsSince(cursor: number | null, limit: number): Promise<OptOutPage>;
  /** The newest stored opt-out index snapshot, or null when there is none. */
  latestOptOutSnapshot(): Promise<StoredOptOutSnapshot | null>;
  /**
   * Stores an opt-out index snapshot holding every opt-out up to `throughSeq`. Resolves false
   * without writing when another process is writing one.
   */
  saveOptOutSnapshot(input: OptOutSnapshotWrite): Promise<boolean>;
  /**
   * Entities changed after `cursor`, and the new cursor. `saltChanges` lists the change ids of
   * bucket rotations (apply them with {@link changedSaltBuckets}); a change of the salt metadata
   * itself shows up as the entity `salt` without an id.
   */
  changesSince(cursor: string): Promise<ChangeSummary>;
  /** The buckets rewritten by salt change `changeId`. */
  changedSaltBuckets(changeId: number): Promise<readonly SaltBucket[]>;
  /**
   * Stores opt-outs durably (committed when the promise resolves; idempotent) and announces them
   * to every other process.
   */
  addOptOuts(records: readonly OptOutRecord[]): Promise<number>;
  /** Calls `listener` when another process announces a change (NOTIFY); returns the unsubscriber. */
  subscribe(listener: () => void): () => void;
}
