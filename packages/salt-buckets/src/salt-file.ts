import { SaltError } from './salt-error.js';
import type { KeyMaterial, SaltBucket } from './salt-bucket.js';

/** Number of comma-separated columns of a salt-file line (spec/internals.md §3.10). */
export const SALT_FILE_COLUMNS = 11;

const INTEGER = /^[+-]?\d+$/;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/**
 * One parsed salt-file line (spec/internals.md §3.10). Columns: `id, lastUpdated, currentSalt,
 * refreshFrom, previousSalt, currentKeyId, currentKey, currentKeySalt, previousKeyId, previousKey,
 * previousKeySalt`. Blank text columns become `null`.
 */
export interface SaltFileRow {
  /** Row id (Java int); only used to derive the bucket id. */
  readonly id: number;
  /** Epoch ms. */
  readonly lastUpdatedMs: number;
  readonly currentSalt: string | null;
  /** Epoch ms. */
  readonly refreshFromMs: number;
  readonly previousSalt: string | null;
  readonly currentKey: KeyMaterial | null;
  readonly previousKey: KeyMaterial | null;
}

function blankToNull(text: string): string | null {
  return text.trim() === '' ? null : text;
}

function parseInteger(text: string, line: number | undefined, int32: boolean): number {
  if (!INTEGER.test(text)) throw new SaltError('ERR_SALT_FILE_FORMAT', line);
  const value = Number(text);
  const ok = int32 ? value >= INT32_MIN && value <= INT32_MAX : Number.isSafeInteger(value);
  if (!ok) throw new SaltError('ERR_SALT_FILE_FORMAT', line);
  return value;
}

function keyMaterial(id: string, key: string, salt: string, line: number | undefined): KeyMaterial | null {
  const keyText = blankToNull(key);
  const saltText = blankToNull(salt);
  // The operator builds key material only when id and key are present; without a salt it is unusable.
  if (id.trim() === '' || keyText === null || saltText === null) return null;
  return { id: parseInteger(id, line, true), key: keyText, salt: saltText };
}

/**
 * Parses one salt-file CSV line (`split(",", -1)` semantics: exactly 11 columns, empty fields
 * allowed). Text columns are kept verbatim (salts and keys are used as text); blank ones become
 * `null`. Key material is present only when its id, key and salt columns are all non-blank.
 *
 * @param line - one line without its line terminator (a trailing `\r` is ignored).
 * @param lineNumber - 0-based line number, reported as the error `detail`.
 * @throws SaltError `ERR_SALT_FILE_FORMAT` if the column count is not 11, or the id / key ids are
 *   not 32-bit integers, or the times are not integers.
 */
export function parseSaltFileLine(line: string, lineNumber?: number): SaltFileRow {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const columns = text.split(',');
  if (columns.length !== SALT_FILE_COLUMNS) throw new SaltError('ERR_SALT_FILE_FORMAT', lineNumber);
  const col = (i: number): string => columns[i] ?? '';
  return {
    id: parseInteger(col(0), lineNumber, true),
    lastUpdatedMs: parseInteger(col(1), lineNumber, false),
    currentSalt: blankToNull(col(2)),
    refreshFromMs: parseInteger(col(3), lineNumber, false),
    previousSalt: blankToNull(col(4)),
    currentKey: keyMaterial(col(5), col(6), col(7), lineNumber),
    previousKey: keyMaterial(col(8), col(9), col(10), lineNumber),
  };
}

/**
 * Turns a parsed row into the {@link SaltBucket} at `index` (the line position).
 *
 * @param row - from {@link parseSaltFileLine}.
 * @param index - 0-based line position (the bucket index).
 * @param bucketIdOf - bucket-id encoder, e.g. from `createBucketIdEncoder(idPrefix, idSecret)`.
 */
export function saltBucketFromRow(
  row: SaltFileRow,
  index: number,
  bucketIdOf: (id: number) => string,
): SaltBucket {
  return {
    index,
    bucketId: bucketIdOf(row.id),
    lastUpdatedMs: row.lastUpdatedMs,
    refreshFromMs: row.refreshFromMs,
    currentSalt: row.currentSalt,
    previousSalt: row.previousSalt,
    currentKey: row.currentKey,
    previousKey: row.previousKey,
  };
}

/**
 * Parses a whole salt file: one bucket per line, line position = bucket index. A final empty line
 * (trailing newline) is ignored; `\r\n` line ends are accepted.
 *
 * @param text - the file content.
 * @param bucketIdOf - bucket-id encoder, e.g. from `createBucketIdEncoder(idPrefix, idSecret)`.
 * @throws SaltError `ERR_SALT_FILE_FORMAT` (detail = 0-based line) for a malformed line.
 */
export function parseSaltFile(text: string, bucketIdOf: (id: number) => string): SaltBucket[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, index) => saltBucketFromRow(parseSaltFileLine(line, index), index, bucketIdOf));
}
