import type { Database } from '@uid2-operator/db';
import type { OptOutRecord } from '@uid2-operator/optout';
import type { SaltBucket } from '@uid2-operator/salt-buckets';
import type { ChangeSummary, OptOutPage, SmallTables, StateSource } from './state-source.js';

/** Thrown when the database holds no salts yet (nothing to serve from). */
export class MissingSaltsError extends Error {
  override readonly name = 'MissingSaltsError';
  readonly code = 'ERR_NO_SALTS';
}

/**
 * The operator's {@link StateSource} over the db package: snapshot loader, salt stream,
 * incremental opt-out reads, the change log and `NOTIFY uid2_changes`.
 */
export function dbStateSource(db: Database): StateSource {
  return {
    async changeCursor() {
      return String(await db.changes.currentCursor());
    },

    async loadSmallTables(): Promise<SmallTables> {
      const snapshot = await db.loadSnapshot();
      if (snapshot.saltMetadata === null) {
        throw new MissingSaltsError(
          'The database has no salts: run `uid2 salts init` (or start with UID2_SEED_DEV=true on an empty database).',
        );
      }
      return {
        sites: snapshot.sites,
        apiKeys: snapshot.apiKeys,
        keysets: snapshot.keysets,
        keys: snapshot.keys,
        keypairs: snapshot.keypairs,
        saltMetadata: snapshot.saltMetadata,
      };
    },

    streamSaltBuckets(batchSize: number): AsyncIterable<readonly SaltBucket[]> {
      return db.salts.streamBuckets(batchSize);
    },

    async optOutsSince(cursor: number | null, limit: number): Promise<OptOutPage> {
      const page = await db.optouts.scanSince(cursor, { limit });
      return { records: page.records, cursor: page.cursor, more: page.more };
    },

    async latestOptOutSnapshot() {
      const info = await db.optouts.latestSnapshot();
      if (info === null) return null;
      return {
        throughSeq: info.throughSeq,
        bytes: info.bytes,
        chunks: () => db.optouts.readSnapshot(info),
      };
    },

    async saveOptOutSnapshot(input) {
      return (await db.optouts.saveSnapshot(input)) !== null;
    },

    async changesSince(cursor: string): Promise<ChangeSummary> {
      const entities = new Set<string>();
      const saltChanges: number[] = [];
      let saltMetadataChanged = false;
      let position = Number(cursor);
      for (;;) {
        const page = await db.changes.readSince(position, { limit: 1000 });
        for (const entry of page.entries) {
          entities.add(entry.entity);
          if (entry.entity !== 'salt') continue;
          if (entry.entityKey === 'metadata') saltMetadataChanged = true;
          else saltChanges.push(entry.id);
        }
        position = page.cursor;
        if (!page.more) break;
      }
      return { entities, saltChanges, saltMetadataChanged, cursor: String(position) };
    },

    changedSaltBuckets(changeId: number): Promise<readonly SaltBucket[]> {
      return db.salts.changedBuckets(changeId);
    },

    addOptOuts(records: readonly OptOutRecord[]): Promise<number> {
      return db.optouts.add(records);
    },

    subscribe(listener: () => void): () => void {
      return db.changes.subscribe(() => listener());
    },
  };
}
