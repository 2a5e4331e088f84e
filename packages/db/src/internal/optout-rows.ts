import type { IdentityScope, IdentityType, OptOutRecord } from '@uid2-operator/optout';

/** Wire values of identity scopes (spec/internals.md §0). */
export const SCOPE_VALUE: Record<IdentityScope, number> = { UID2: 0, EUID: 1 };
/** Wire values of identity types (spec/internals.md §0). */
export const TYPE_VALUE: Record<IdentityType, number> = { email: 0, phone: 1 };
const SCOPES: readonly IdentityScope[] = ['UID2', 'EUID'];
const TYPES: readonly IdentityType[] = ['email', 'phone'];

/**
 * Inserts new keys and lowers / completes existing ones, for a deduplicated batch. Hashes and
 * advertising ids travel as base64 text arrays (PGlite serializes BYTEA in JavaScript, slowly).
 * New rows skip the sequence when their key exists, so duplicates do not punch holes in `seq`;
 * rewritten rows get a new `seq` so incremental readers see them again.
 */
export const ADD_OPTOUTS_SQL = `
WITH input AS (
  SELECT decode(u.flh, 'base64') AS flh, u.scope, u.itype, u.ts, decode(u.adv, 'base64') AS adv
    FROM unnest($1::text[], $2::int2[], $3::int2[], $4::int8[], $5::text[]) AS u(flh, scope, itype, ts, adv)
), inserted AS (
  INSERT INTO optouts (first_level_hash, scope, identity_type, advertising_id, opted_out_at)
  SELECT i.flh, i.scope, i.itype, i.adv, i.ts FROM input i
   WHERE NOT EXISTS (SELECT 1 FROM optouts o WHERE o.first_level_hash = i.flh AND o.scope = i.scope)
  ON CONFLICT DO NOTHING
  RETURNING 1
), rewritten AS (
  UPDATE optouts o
     SET opted_out_at = LEAST(o.opted_out_at, i.ts), advertising_id = COALESCE(o.advertising_id, i.adv),
         seq = nextval(pg_get_serial_sequence('optouts', 'seq')), created = clock_timestamp()
    FROM input i
   WHERE o.first_level_hash = i.flh AND o.scope = i.scope
     AND (i.ts < o.opted_out_at OR (o.advertising_id IS NULL AND i.adv IS NOT NULL))
  RETURNING 1
)
SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM rewritten)::int AS rewritten`;

/** Parameters of {@link ADD_OPTOUTS_SQL} for `records` (already validated and deduplicated). */
export function encodeOptOutBatch(records: readonly OptOutRecord[]): unknown[] {
  const base64 = (bytes: Uint8Array): string =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return [
    records.map((record) => base64(record.firstLevelHash)),
    records.map((record) => SCOPE_VALUE[record.scope]),
    records.map((record) => TYPE_VALUE[record.type]),
    records.map((record) => record.optedOutAtSeconds),
    records.map((record) => (record.advertisingId === null ? null : base64(record.advertisingId))),
  ];
}

/**
 * One base64 text per page instead of one result row per record (PGlite spends ~9 µs per row, and
 * parses BYTEA results in JavaScript; base64 is a third shorter than hex to build, send and decode):
 * `seq(8) ‖ opted_out_at(8) ‖ flh(32) ‖ int2(flags << 8 | adv_len) ‖ adv`, flags =
 * `scope << 2 | type << 1 | settled`. `$GRACE` is the gap grace in seconds; `$ORDER` is an
 * ` ORDER BY …` clause for the aggregate, or empty (the reader then sorts: `inAscendingOrder`).
 */
export const RECORD_BLOB_SQL = `encode(string_agg(
    int8send(seq) || int8send(opted_out_at) || first_level_hash
    || int2send(((scope * 4 + identity_type * 2 + CASE WHEN created < now() - make_interval(secs => $GRACE) THEN 1 ELSE 0 END) * 256
                 + COALESCE(octet_length(advertising_id), 0))::int2)
    || COALESCE(advertising_id, ''::bytea), ''::bytea$ORDER), 'base64')`;

/** One decoded record of a {@link RECORD_BLOB_SQL} blob, with its position data. */
export interface BlobRecord {
  readonly record: OptOutRecord;
  readonly seq: number;
  /** Older than the gap grace period. */
  readonly settled: boolean;
}

/**
 * Decodes a {@link RECORD_BLOB_SQL} base64 blob (PostgreSQL breaks its lines every 76 characters;
 * `Buffer.from` skips the newlines). Hashes and ids are views into one buffer.
 */
export function decodeRecordBlob(base64: string | null): BlobRecord[] {
  const out: BlobRecord[] = [];
  if (base64 === null) return out;
  const blob = Buffer.from(base64, 'base64');
  let at = 0;
  while (at < blob.length) {
    const seq = blob.readUInt32BE(at) * 0x1_0000_0000 + blob.readUInt32BE(at + 4);
    const seconds = blob.readUInt32BE(at + 8) * 0x1_0000_0000 + blob.readUInt32BE(at + 12);
    const flh = blob.subarray(at + 16, at + 48);
    const flags = blob[at + 48] ?? 0;
    const adLength = blob[at + 49] ?? 0;
    at += 50;
    const advertisingId = adLength === 0 ? null : blob.subarray(at, at + adLength);
    at += adLength;
    out.push({
      seq,
      settled: (flags & 1) === 1,
      record: {
        firstLevelHash: flh,
        advertisingId,
        scope: SCOPES[(flags >> 2) & 1] ?? 'UID2',
        type: TYPES[(flags >> 1) & 1] ?? 'email',
        optedOutAtSeconds: seconds,
      },
    });
  }
  return out;
}

/**
 * Merges duplicates of one (FLH, scope) inside a batch the way consecutive adds would: the
 * earliest time, the first advertising id (a missing one filled by a later record), the first type.
 */
export function dedupeBatch(records: readonly OptOutRecord[]): OptOutRecord[] {
  const byKey = new Map<string, OptOutRecord>();
  for (const record of records) {
    const key = `${Buffer.from(record.firstLevelHash.buffer, record.firstLevelHash.byteOffset, 32).toString('hex')}${record.scope}`;
    const seen = byKey.get(key);
    byKey.set(
      key,
      seen === undefined
        ? record
        : {
            ...seen,
            optedOutAtSeconds: Math.min(seen.optedOutAtSeconds, record.optedOutAtSeconds),
            advertisingId: seen.advertisingId ?? record.advertisingId,
          },
    );
  }
  return [...byKey.values()];
}
