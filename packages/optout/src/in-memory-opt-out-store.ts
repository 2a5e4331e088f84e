import type { IdentityScope, IdentityType } from './identity.js';
import { OptOutError } from './optout-error.js';
import { assertAdvertisingId, assertFirstLevelHash, assertOptOutRecord } from './opt-out-record.js';
import type { OptOutRecord } from './opt-out-record.js';
import type { OptOutScanOptions, OptOutScanPage, OptOutStore } from './opt-out-store.js';

interface Row {
  /** Sort key and cursor: 64 hex digits of the FLH, ':', scope. Hex keeps unsigned byte order. */
  readonly key: string;
  readonly firstLevelHash: Buffer;
  advertisingId: Buffer | null;
  readonly scope: IdentityScope;
  readonly type: IdentityType;
  optedOutAtSeconds: number;
}

const CURSOR = /^[0-9a-f]{64}:(?:UID2|EUID)$/;

/**
 * Reference {@link OptOutStore} kept in process memory (tests, single-process demos). Copies every
 * buffer on the way in and out. Scan order and cursors: `<FLH hex>:<scope>`, ascending.
 */
export class InMemoryOptOutStore implements OptOutStore {
  private readonly rows = new Map<string, Row>();
  private readonly earliestByAdvertisingId = new Map<string, number>();
  private sorted: Row[] | null = null;

  /** See {@link OptOutStore.add}. */
  add(records: readonly OptOutRecord[]): Promise<number> {
    return attempt(() => {
      for (const record of records) assertOptOutRecord(record);
      let inserted = 0;
      for (const record of records) if (this.addOne(record)) inserted++;
      return inserted;
    });
  }

  /** See {@link OptOutStore.has}. */
  has(firstLevelHash: Uint8Array, scope: IdentityScope): Promise<boolean> {
    return attempt(() => {
      assertFirstLevelHash(firstLevelHash);
      return this.rows.has(rowKey(firstLevelHash, scope));
    });
  }

  /** See {@link OptOutStore.optedOutSince}. */
  optedOutSince(advertisingId: Uint8Array): Promise<number> {
    return attempt(() => {
      assertAdvertisingId(advertisingId);
      return this.earliestByAdvertisingId.get(Buffer.from(advertisingId).toString('hex')) ?? -1;
    });
  }

  /** See {@link OptOutStore.scan}. */
  scan(options: OptOutScanOptions): Promise<OptOutScanPage> {
    return attempt(() => {
      const { limit, afterCursor, scope } = options;
      if (!Number.isInteger(limit) || limit < 1) {
        throw new OptOutError('ERR_OPTOUT_BAD_LIMIT', typeof limit === 'number' ? limit : undefined);
      }
      if (afterCursor != null && !CURSOR.test(afterCursor)) throw new OptOutError('ERR_OPTOUT_BAD_CURSOR');
      const rows = this.sortedRows();
      const records: OptOutRecord[] = [];
      let i = afterCursor == null ? 0 : firstAfter(rows, afterCursor);
      let last: Row | undefined;
      for (; i < rows.length && records.length < limit; i++) {
        const row = rows[i]!;
        if (scope !== undefined && row.scope !== scope) continue;
        records.push(toRecord(row));
        last = row;
      }
      while (scope !== undefined && i < rows.length && rows[i]!.scope !== scope) i++;
      return { records, cursor: i < rows.length && last !== undefined ? last.key : null };
    });
  }

  /** See {@link OptOutStore.count}. */
  count(scope?: IdentityScope): Promise<number> {
    if (scope === undefined) return Promise.resolve(this.rows.size);
    let n = 0;
    for (const row of this.rows.values()) if (row.scope === scope) n++;
    return Promise.resolve(n);
  }

  private addOne(record: OptOutRecord): boolean {
    const key = rowKey(record.firstLevelHash, record.scope);
    const existing = this.rows.get(key);
    if (existing === undefined) {
      const row: Row = {
        key,
        firstLevelHash: Buffer.from(record.firstLevelHash),
        advertisingId: record.advertisingId == null ? null : Buffer.from(record.advertisingId),
        scope: record.scope,
        type: record.type,
        optedOutAtSeconds: record.optedOutAtSeconds,
      };
      this.rows.set(key, row);
      this.sorted = null;
      this.noteAdvertisingId(row);
      return true;
    }
    existing.optedOutAtSeconds = Math.min(existing.optedOutAtSeconds, record.optedOutAtSeconds);
    if (existing.advertisingId === null && record.advertisingId != null) {
      existing.advertisingId = Buffer.from(record.advertisingId);
    }
    this.noteAdvertisingId(existing);
    return false;
  }

  /** Rows never disappear and times only decrease, so a running minimum per id stays exact. */
  private noteAdvertisingId(row: Row): void {
    if (row.advertisingId === null) return;
    const id = row.advertisingId.toString('hex');
    const known = this.earliestByAdvertisingId.get(id);
    if (known === undefined || row.optedOutAtSeconds < known) {
      this.earliestByAdvertisingId.set(id, row.optedOutAtSeconds);
    }
  }

  private sortedRows(): Row[] {
    this.sorted ??= [...this.rows.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    return this.sorted;
  }
}

function rowKey(firstLevelHash: Uint8Array, scope: IdentityScope): string {
  return `${Buffer.from(firstLevelHash.buffer, firstLevelHash.byteOffset, firstLevelHash.length).toString('hex')}:${scope}`;
}

function firstAfter(rows: readonly Row[], cursor: string): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.key <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toRecord(row: Row): OptOutRecord {
  return {
    firstLevelHash: Buffer.from(row.firstLevelHash),
    advertisingId: row.advertisingId === null ? null : Buffer.from(row.advertisingId),
    scope: row.scope,
    type: row.type,
    optedOutAtSeconds: row.optedOutAtSeconds,
  };
}

/** Runs `fn` now; a throw becomes a rejection (the executor of `new Promise` catches it). */
function attempt<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}
