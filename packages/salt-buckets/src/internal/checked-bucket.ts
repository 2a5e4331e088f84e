import { Buffer } from 'node:buffer';
import { SaltError } from '../salt-error.js';
import type { KeyMaterial, SaltBucket } from '../salt-bucket.js';
import { isAesKeyLength } from './aes-block.js';

const MAX_FIELD_BYTES = 0xffff;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** A bucket validated for storage: its text fields in record order and its usable key material. */
export interface CheckedBucket {
  readonly index: number;
  /** currentSalt, previousSalt, currentKey.key, currentKey.salt, previousKey.key, previousKey.salt, bucketId. */
  readonly texts: readonly string[];
  readonly currentKey: KeyMaterial | null;
  readonly previousKey: KeyMaterial | null;
}

function invalid(index: number): SaltError {
  return new SaltError('ERR_SALT_INVALID_BUCKET', index);
}

function usableKey(key: KeyMaterial | null, index: number): KeyMaterial | null {
  if (!key) return null;
  if (typeof key.key !== 'string' || typeof key.salt !== 'string') throw invalid(index);
  if (key.key === '' || key.salt === '') return null;
  if (!(Number.isInteger(key.id) && key.id >= INT32_MIN && key.id <= INT32_MAX)) throw invalid(index);
  if (!isAesKeyLength(Buffer.byteLength(key.key, 'utf8'))) throw invalid(index);
  return key;
}

/**
 * Checks a bucket before it is stored, so a rejected bucket never leaves a half-written record.
 *
 * @throws SaltError `ERR_SALT_INVALID_BUCKET` (detail = index), see `SaltTable.set`.
 */
export function checkedBucket(bucket: SaltBucket, bucketCount: number): CheckedBucket {
  const index = bucket.index;
  if (!(Number.isInteger(index) && index >= 0 && index < bucketCount)) throw invalid(index);
  if (!Number.isFinite(bucket.lastUpdatedMs) || !Number.isFinite(bucket.refreshFromMs)) throw invalid(index);
  const currentSalt = bucket.currentSalt ?? '';
  const currentKey = usableKey(bucket.currentKey, index);
  if (currentSalt === '' && currentKey === null) throw invalid(index);
  const previousKey = usableKey(bucket.previousKey, index);
  const texts = [
    currentSalt,
    bucket.previousSalt ?? '',
    currentKey?.key ?? '',
    currentKey?.salt ?? '',
    previousKey?.key ?? '',
    previousKey?.salt ?? '',
    bucket.bucketId,
  ];
  for (const text of texts) {
    if (typeof text !== 'string') throw invalid(index);
    // UTF-8 needs at most 3 bytes per UTF-16 unit; measure exactly only when that could overflow.
    if (text.length * 3 > MAX_FIELD_BYTES && Buffer.byteLength(text, 'utf8') > MAX_FIELD_BYTES)
      throw invalid(index);
  }
  return { index, texts, currentKey, previousKey };
}
