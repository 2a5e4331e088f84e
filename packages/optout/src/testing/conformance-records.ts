import { expect } from 'vitest';
import type { IdentityScope, IdentityType } from '../identity.js';
import type { OptOutRecord } from '../opt-out-record.js';
import type { OptOutStore } from '../opt-out-store.js';

/** A deterministic 32-byte hash: byte 0 is `first` (to test unsigned order), the rest follow `seed`. */
export function conformanceHash(first: number, seed: number): Buffer {
  const bytes = Buffer.alloc(32);
  bytes[0] = first;
  for (let i = 1; i < 32; i++) bytes[i] = (seed * 31 + i * 7) & 0xff;
  return bytes;
}

/** Extra fields of {@link conformanceRecord}; `adidLength` 0 means no advertising id. */
export interface ConformanceRecordExtra {
  readonly scope?: IdentityScope;
  readonly type?: IdentityType;
  readonly adidLength?: 0 | 32 | 33;
  readonly adidSeed?: number;
}

/** A deterministic record: FLH from (`first`, `seed`), advertising id from `adidSeed` (33 bytes by default). */
export function conformanceRecord(
  first: number,
  seed: number,
  seconds: number,
  extra: ConformanceRecordExtra = {},
): OptOutRecord {
  const adidLength = extra.adidLength ?? 33;
  const adidSeed = extra.adidSeed ?? seed + 1000;
  const adid = Buffer.concat([Buffer.from([0x20]), conformanceHash(adidSeed & 0xff, adidSeed)]);
  return {
    firstLevelHash: conformanceHash(first, seed),
    advertisingId: adidLength === 0 ? null : adid.subarray(33 - adidLength),
    scope: extra.scope ?? 'UID2',
    type: extra.type ?? 'email',
    optedOutAtSeconds: seconds,
  };
}

/** Comparable form of a record (hex strings instead of bytes), for `toEqual`. */
export function recordView(record: OptOutRecord): Record<string, unknown> {
  return {
    firstLevelHash: Buffer.from(record.firstLevelHash).toString('hex'),
    advertisingId: record.advertisingId === null ? null : Buffer.from(record.advertisingId).toString('hex'),
    scope: record.scope,
    type: record.type,
    optedOutAtSeconds: record.optedOutAtSeconds,
  };
}

/** Every record of the store (optionally one scope), following cursors with pages of `limit`. */
export async function scanAll(
  store: OptOutStore,
  limit: number,
  scope?: IdentityScope,
): Promise<{ records: OptOutRecord[]; pages: number }> {
  const records: OptOutRecord[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await store.scan(
      scope === undefined ? { afterCursor: cursor, limit } : { afterCursor: cursor, limit, scope },
    );
    expect(page.records.length).toBeLessThanOrEqual(limit);
    records.push(...page.records);
    cursor = page.cursor;
    pages++;
    if (pages > 10_000) throw new Error('scan did not terminate');
  } while (cursor !== null);
  return { records, pages };
}
