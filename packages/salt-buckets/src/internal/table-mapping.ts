import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';
import { bucketIndexUnchecked } from '../bucket-index.js';
import { firstLevelHash } from '../first-level-hash.js';
import type { MapIdentityOptions, MappedIdentity } from '../map-identity.js';
import { rawUidV3PrefixByte, rawUidV4MetaByte } from '../identity.js';
import { effectiveRefreshFromMs, isWithinPreviousUidWindow } from '../refresh-from.js';
import { BASE64_OF_32_LENGTH, writeBase64Of32 } from './base64.js';
import { F_CURRENT_KEY, F_CURRENT_SALT, F_PREVIOUS_KEY, F_PREVIOUS_SALT } from './compact-salt-table.js';
import type { CompactSaltTable } from './compact-salt-table.js';
import { Mapping } from './mapping-result.js';
import {
  RAW_UID_V3_V4_LENGTH,
  V4_IV_SUFFIX_LENGTH,
  assembleRawUidV4,
  writeCounterBlock,
  writeIvSuffix,
} from './v4-layout.js';

const counterBlock = Buffer.alloc(16);

function tableFirstLevelHash(table: CompactSaltTable, diiHash: Uint8Array): Buffer {
  if (diiHash.length !== 32) return firstLevelHash(diiHash, table.firstLevelSalt);
  writeBase64Of32(diiHash, table.firstLevelScratch);
  return hash('sha256', table.firstLevelScratch, 'buffer');
}

/** Raw UID v2 (or v3 when `prefix` ≥ 0) from the salt stored in `field` of bucket `index`. */
function saltRawUid(
  table: CompactSaltTable,
  flhBase64Written: boolean,
  flh: Buffer,
  index: number,
  field: number,
  prefix: number,
): Buffer {
  const saltLength = table.fieldLength(index, field);
  const total = BASE64_OF_32_LENGTH + saltLength;
  const scratch = table.saltScratch.ensure(total);
  if (!flhBase64Written) writeBase64Of32(flh, scratch);
  const arena = table.arena;
  const from = table.fieldOffset(index, field);
  for (let i = 0; i < saltLength; i++) scratch[BASE64_OF_32_LENGTH + i] = arena[from + i] ?? 0;
  const digest = hash('sha256', table.saltScratch.view(total), 'buffer');
  if (prefix < 0) return digest;
  const out = Buffer.allocUnsafe(RAW_UID_V3_V4_LENGTH);
  out[0] = prefix;
  digest.copy(out, 1);
  return out;
}

/** Raw UID v4 from the key material starting at `keyField` (key text, then key salt). */
function keyRawUid(
  table: CompactSaltTable,
  flh: Buffer,
  index: number,
  keyField: number,
  meta: number,
): Buffer {
  const keyId = table.keyId(index, keyField);
  const keyLength = table.fieldLength(index, keyField);
  const saltLength = table.fieldLength(index, keyField + 1);
  const keyOffset = table.fieldOffset(index, keyField);
  const saltOffset = keyOffset + keyLength;
  const total = saltLength + V4_IV_SUFFIX_LENGTH;
  const scratch = table.ivScratch.ensure(total);
  const arena = table.arena;
  for (let i = 0; i < saltLength; i++) scratch[i] = arena[saltOffset + i] ?? 0;
  writeIvSuffix(scratch, saltLength, flh, meta, keyId);
  const ivDigest = hash('sha256', table.ivScratch.view(total), 'buffer');
  writeCounterBlock(counterBlock, ivDigest);
  const keystream = table.ciphers.cipherFor(keyId, arena, keyOffset, keyLength).update(counterBlock);
  return assembleRawUidV4(flh, meta, keyId, ivDigest, keystream);
}

/** `mapIdentity` against a {@link CompactSaltTable}: precomputed salt bytes, no string building. */
export function mapWithTable(
  table: CompactSaltTable,
  diiHash: Uint8Array,
  options: MapIdentityOptions,
): MappedIdentity {
  return mapFlhWithTable(table, tableFirstLevelHash(table, diiHash), options);
}

/** The part of {@link mapWithTable} after the first-level hash (refresh starts here). */
export function mapFlhWithTable(
  table: CompactSaltTable,
  flh: Buffer,
  options: MapIdentityOptions,
): MappedIdentity {
  const index = bucketIndexUnchecked(flh, table.bucketCount);
  if (!table.fullyLoaded) table.requireLoaded(index);
  const nowMs = options.nowMs;
  const prefix = options.identityV3 ? rawUidV3PrefixByte(options.scope, options.type) : -1;
  let flhBase64Written = false;
  let rawUid: Buffer;
  if (table.fieldLength(index, F_CURRENT_SALT) > 0) {
    rawUid = saltRawUid(table, false, flh, index, F_CURRENT_SALT, prefix);
    flhBase64Written = true;
  } else {
    const meta = rawUidV4MetaByte(options.scope, options.type, options.environment);
    rawUid = keyRawUid(table, flh, index, F_CURRENT_KEY, meta);
  }

  let previousRawUid: Buffer | null = null;
  if (isWithinPreviousUidWindow(table.lastUpdatedUnchecked(index), nowMs)) {
    if (table.fieldLength(index, F_PREVIOUS_SALT) > 0) {
      previousRawUid = saltRawUid(table, flhBase64Written, flh, index, F_PREVIOUS_SALT, prefix);
    } else if (table.fieldLength(index, F_PREVIOUS_KEY) > 0) {
      const meta = rawUidV4MetaByte(options.scope, options.type, options.environment);
      previousRawUid = keyRawUid(table, flh, index, F_PREVIOUS_KEY, meta);
    }
  }

  const refreshFromMs = effectiveRefreshFromMs(table.refreshFromUnchecked(index), nowMs);
  return new Mapping(flh, rawUid, previousRawUid, refreshFromMs, index, table);
}
