import type { KeyMaterial, SaltBucket } from '@uid2-operator/salt-buckets';
import { DbError } from '../db-error.js';
import type { RandomSource } from '../kek.js';
import { inAscendingOrder } from './ascending.js';
import type { BucketCipher } from './bucket-cipher.js';

const NULL_FIELD = 0xffff;

/** Query parameters of one batch of bucket rows for {@link UPSERT_BUCKETS_SQL}. */
export type BucketBatchParams = [
  idx: number[],
  bucketId: string[],
  lastUpdatedMs: number[],
  refreshFromMs: number[],
  currentKeyId: (number | null)[],
  previousKeyId: (number | null)[],
  noncesBase64: string[],
  secretsBase64: string[],
  changeId: number,
];

/**
 * Inserts or replaces a batch of buckets. Binary columns travel as base64 text arrays: PGlite
 * (de)serializes BYTEA in JavaScript, 5× slower than `decode()` on the server side.
 */
export const UPSERT_BUCKETS_SQL = `
INSERT INTO salt_buckets (idx, bucket_id, last_updated_ms, refresh_from_ms, current_key_id, previous_key_id, secrets_nonce, secrets_enc, change_id)
SELECT u.idx, u.bucket_id, u.lu, u.rf, u.ck, u.pk, decode(u.nonce, 'base64'), decode(u.secret, 'base64'), $9::int8
  FROM unnest($1::int[], $2::text[], $3::int8[], $4::int8[], $5::int[], $6::int[], $7::text[], $8::text[])
       AS u(idx, bucket_id, lu, rf, ck, pk, nonce, secret)
ON CONFLICT (idx) DO UPDATE SET
  bucket_id = EXCLUDED.bucket_id, last_updated_ms = EXCLUDED.last_updated_ms, refresh_from_ms = EXCLUDED.refresh_from_ms,
  current_key_id = EXCLUDED.current_key_id, previous_key_id = EXCLUDED.previous_key_id,
  secrets_nonce = EXCLUDED.secrets_nonce, secrets_enc = EXCLUDED.secrets_enc, change_id = EXCLUDED.change_id`;

/**
 * Reads buckets [$1, $1 + $2) as three aggregates instead of one row each: PGlite and `pg` spend
 * ~9 µs / ~1.7 µs per result row, so one text line per bucket plus two base64 blobs is 5-7× faster
 * (text, because PGlite parses BYTEA results in JavaScript; base64 rather than hex: a third less
 * text to encode, send and decode, and `Buffer.from(base64)` is native).
 * Line: `idx,last_updated_ms,refresh_from_ms,current_key_id,previous_key_id,secret_length,bucket_id`
 * (bucket id last: it is the only free text, and may not contain a newline).
 * No `ORDER BY` inside the aggregates: each one would sort its 50,000 inputs on its own (PostgreSQL
 * 230 → ~100 ms a batch). Unordered, the three still see the rows in one and the same order (one
 * aggregation pass feeds every row to all three), which is all decoding needs; the rows come in
 * heap order, and {@link decodeBucketBatch} puts them back in index order.
 */
const aggregateBuckets = (where: string): string => `
SELECT count(*)::int AS n,
       string_agg(concat_ws(',', idx, last_updated_ms, refresh_from_ms, COALESCE(current_key_id::text, ''),
                            COALESCE(previous_key_id::text, ''), octet_length(secrets_enc), bucket_id), E'\\n') AS lines,
       encode(string_agg(secrets_nonce, ''::bytea), 'base64') AS nonces,
       encode(string_agg(secrets_enc, ''::bytea), 'base64') AS secrets
  FROM salt_buckets WHERE ${where}`;

/** Buckets [$1, $1 + $2) as one aggregate row (see above). */
export const READ_BUCKETS_SQL = aggregateBuckets('idx >= $1 AND idx < $1 + $2');

/** {@link READ_BUCKETS_SQL} for the buckets whose indexes are in the int array $1. */
export const READ_SELECTED_BUCKETS_SQL = aggregateBuckets('idx = ANY($1::int[])');

/** {@link READ_BUCKETS_SQL} for the buckets last written by change-log entry $1. */
export const READ_CHANGED_BUCKETS_SQL = aggregateBuckets('change_id = $1');

/** Row of {@link READ_BUCKETS_SQL}. */
export interface BucketAggregateRow {
  n: number;
  lines: string | null;
  /** Base64 (with PostgreSQL's line breaks). */
  nonces: string | null;
  /** Base64 (with PostgreSQL's line breaks). */
  secrets: string | null;
}

function packedLength(text: string | null): number {
  return 2 + (text === null ? 0 : Buffer.byteLength(text, 'utf8'));
}

function writeField(target: Buffer, at: number, text: string | null): number {
  if (text === null) {
    target.writeUInt16BE(NULL_FIELD, at);
    return at + 2;
  }
  const written = target.write(text, at + 2, 'utf8');
  if (written >= NULL_FIELD)
    throw new DbError('ERR_DB_INVALID_INPUT', 'a salt or key text is longer than 65,534 bytes');
  target.writeUInt16BE(written, at);
  return at + 2 + written;
}

function secretTexts(bucket: SaltBucket): (string | null)[] {
  return [
    bucket.currentSalt,
    bucket.previousSalt,
    bucket.currentKey?.key ?? null,
    bucket.currentKey?.salt ?? null,
    bucket.previousKey?.key ?? null,
    bucket.previousKey?.salt ?? null,
  ];
}

/**
 * Encodes and encrypts one batch of buckets into {@link UPSERT_BUCKETS_SQL} parameters.
 *
 * @throws DbError `ERR_DB_INVALID_INPUT` for a bucket id with a newline, or an over-long text.
 */
export function encodeBucketBatch(
  buckets: readonly SaltBucket[],
  cipher: BucketCipher,
  random: RandomSource,
  changeId: number,
): BucketBatchParams {
  const texts = buckets.map(secretTexts);
  // Each row is padded with zeros to whole AES blocks (see BucketCipher).
  const lengths = texts.map(
    (fields) => Math.ceil(fields.reduce((sum, text) => sum + packedLength(text), 0) / 16) * 16,
  );
  const plain = Buffer.alloc(lengths.reduce((sum, length) => sum + length, 0));
  const offsets: number[] = [];
  let rowStart = 0;
  texts.forEach((fields, i) => {
    offsets.push(rowStart);
    let at = rowStart;
    for (const text of fields) at = writeField(plain, at, text);
    rowStart += lengths[i] ?? 0;
  });
  const nonces = random(12 * buckets.length);
  const secrets = cipher.apply(nonces, plain, lengths);
  for (const bucket of buckets) {
    if (bucket.bucketId.includes('\n'))
      throw new DbError('ERR_DB_INVALID_INPUT', `bucket ${bucket.index} has a bucket id with a newline`);
  }
  return [
    buckets.map((bucket) => bucket.index),
    buckets.map((bucket) => bucket.bucketId),
    buckets.map((bucket) => bucket.lastUpdatedMs),
    buckets.map((bucket) => bucket.refreshFromMs),
    buckets.map((bucket) => bucket.currentKey?.id ?? null),
    buckets.map((bucket) => bucket.previousKey?.id ?? null),
    buckets.map((_, i) => nonces.toString('base64', i * 12, i * 12 + 12)),
    offsets.map((offset, i) => secrets.toString('base64', offset, offset + (lengths[i] ?? 0))),
    changeId,
  ];
}

function keyMaterial(id: number, key: string | null, salt: string | null): KeyMaterial | null {
  return id < 0 || key === null ? null : { id, key, salt: salt ?? '' };
}

const COMMA = 44;
const NEWLINE = 10;
const MINUS = 45;

/** Reads the comma-terminated integer at `state.at` (−1 when empty) and moves past the comma. */
function readInteger(text: string, state: { at: number }): number {
  let at = state.at;
  let negative = false;
  if (text.charCodeAt(at) === MINUS) {
    negative = true;
    at++;
  }
  let value = 0;
  let digits = 0;
  for (let code = text.charCodeAt(at); code !== COMMA; code = text.charCodeAt(++at)) {
    value = value * 10 + (code - 48);
    digits++;
  }
  state.at = at + 1;
  if (digits === 0) return -1;
  return negative ? -value : value;
}

/**
 * Decrypts and decodes one {@link READ_BUCKETS_SQL} row into buckets, in index order (whatever the
 * order of the rows in the aggregate). Parses the lines by hand and decrypts the batch in one call:
 * this is the operator's start-up hot path.
 */
export function decodeBucketBatch(row: BucketAggregateRow, cipher: BucketCipher): SaltBucket[] {
  const count = row.n;
  const text = row.lines;
  if (count === 0 || text === null || row.nonces === null || row.secrets === null) return [];
  const index = new Int32Array(count);
  const lastUpdated = new Float64Array(count);
  const refreshFrom = new Float64Array(count);
  const currentKeyId = new Float64Array(count);
  const previousKeyId = new Float64Array(count);
  const lengths = new Int32Array(count);
  const bucketIds = new Array<string>(count);
  const state = { at: 0 };
  for (let i = 0; i < count; i++) {
    index[i] = readInteger(text, state);
    lastUpdated[i] = readInteger(text, state);
    refreshFrom[i] = readInteger(text, state);
    currentKeyId[i] = readInteger(text, state);
    previousKeyId[i] = readInteger(text, state);
    lengths[i] = readInteger(text, state);
    let end = text.indexOf(String.fromCharCode(NEWLINE), state.at);
    if (end < 0) end = text.length;
    bucketIds[i] = text.slice(state.at, end);
    state.at = end + 1;
  }
  // Base64 from PostgreSQL has a newline every 76 characters; Buffer.from skips them.
  const plain = cipher.apply(Buffer.from(row.nonces, 'base64'), Buffer.from(row.secrets, 'base64'), lengths);
  const buckets = new Array<SaltBucket>(count);
  const texts: (string | null)[] = [null, null, null, null, null, null];
  let rowStart = 0;
  for (let i = 0; i < count; i++) {
    let at = rowStart;
    for (let f = 0; f < 6; f++) {
      const length = plain.readUInt16BE(at);
      if (length === NULL_FIELD) {
        texts[f] = null;
        at += 2;
      } else {
        texts[f] = plain.toString('utf8', at + 2, at + 2 + length);
        at += 2 + length;
      }
    }
    rowStart += lengths[i] ?? 0;
    buckets[i] = {
      index: index[i] ?? 0,
      bucketId: bucketIds[i] ?? '',
      lastUpdatedMs: lastUpdated[i] ?? 0,
      refreshFromMs: refreshFrom[i] ?? 0,
      currentSalt: texts[0] ?? null,
      previousSalt: texts[1] ?? null,
      currentKey: keyMaterial(currentKeyId[i] ?? -1, texts[2] ?? null, texts[3] ?? null),
      previousKey: keyMaterial(previousKeyId[i] ?? -1, texts[4] ?? null, texts[5] ?? null),
    };
  }
  return inAscendingOrder(buckets, (bucket) => bucket.index);
}
