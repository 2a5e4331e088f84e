import { diiHashOf, type DiiInputForm } from '@uid2-operator/dii-normalize';
import { mapIdentity, type SaltSource } from '@uid2-operator/salt-buckets';

/** Operator settings that enter raw UIDs (spec/api.md §5.4, §11). */
export interface MapSettings {
  readonly scope: 'UID2' | 'EUID';
  readonly environment: 'test' | 'integ' | 'prod';
  /** Config `identity_v3`: 33-byte v3 raw UIDs for salt buckets. */
  readonly identityV3: boolean;
}

/** Identifiers of one request array: one DII type and input form, values exactly as sent. */
export interface HashInput {
  readonly type: 'email' | 'phone';
  readonly form: DiiInputForm;
  readonly values: readonly string[];
}

/** Which per-identifier fields the caller needs: `/v2/identity/map` (bucket ids) or `/v3` (previous UID, refresh time). */
export type HashOutput = 'v2' | 'v3';

/**
 * Compact result of hashing a run of identifiers (index-aligned with the input values), built to
 * cross a thread boundary cheaply: two transferable typed arrays plus arrays of short strings.
 * An invalid identifier has `rawUids[i] === null` (its other entries are meaningless).
 */
export interface HashedIdentities {
  readonly count: number;
  /** First-level hashes, 32 bytes each, identifier `i` at `i × 32` (the opt-out key). */
  readonly firstLevelHashes: Uint8Array;
  /** Current raw UID, standard base64, or `null` for an invalid identifier. */
  readonly rawUids: readonly (string | null)[];
  /** `v3` only (empty for `v2`): previous raw UID, standard base64, or `null`. */
  readonly previousRawUids: readonly (string | null)[];
  /** `v3` only (length 0 for `v2`): raw-UID refresh time, epoch **ms**. */
  readonly refreshFromMs: Float64Array;
  /** `v2` only (empty for `v3`): salt bucket id, or `null` for an invalid identifier. */
  readonly bucketIds: readonly (string | null)[];
}

/** Bytes of one first-level hash. */
export const FLH_BYTES = 32;

/**
 * Normalizes, hashes and maps `input.values[from, to)` against `source` as of `nowMs` (epoch ms):
 * DII hash (spec/api.md §5.1–5.3), first-level hash, bucket, raw UID and, per `output`, the
 * previous raw UID and refresh time (§5.4) or the bucket id. Opt-out is not checked here.
 * Results equal `mapIdentity` one by one.
 *
 * @throws SaltError `ERR_SALT_BUCKET_MISSING` / `ERR_SALT_INVALID_BUCKET` when a selected bucket is
 *   not loaded or unusable (the route answers 500 `unknown`).
 */
export function hashIdentities(
  source: SaltSource,
  settings: MapSettings,
  input: HashInput,
  nowMs: number,
  output: HashOutput,
  from = 0,
  to = input.values.length,
): HashedIdentities {
  const count = Math.max(0, to - from);
  const v3 = output === 'v3';
  const firstLevelHashes = new Uint8Array(count * FLH_BYTES);
  const rawUids: (string | null)[] = [];
  const previousRawUids: (string | null)[] = [];
  const refreshFromMs = new Float64Array(v3 ? count : 0);
  const bucketIds: (string | null)[] = [];
  const options = {
    scope: settings.scope,
    type: input.type,
    environment: settings.environment,
    identityV3: settings.identityV3,
    nowMs,
  } as const;
  for (let i = 0; i < count; i++) {
    const diiHash = diiHashOf(input.type, input.form, input.values[from + i] as string);
    if (diiHash === null) {
      rawUids.push(null);
      if (v3) previousRawUids.push(null);
      else bucketIds.push(null);
      continue;
    }
    const mapped = mapIdentity(diiHash, source, options);
    firstLevelHashes.set(mapped.firstLevelHash, i * FLH_BYTES);
    rawUids.push(mapped.rawUid.toString('base64'));
    if (v3) {
      previousRawUids.push(mapped.previousRawUid === null ? null : mapped.previousRawUid.toString('base64'));
      refreshFromMs[i] = mapped.refreshFromMs;
    } else {
      bucketIds.push(mapped.bucketId);
    }
  }
  return { count, firstLevelHashes, rawUids, previousRawUids, refreshFromMs, bucketIds };
}

/** Joins consecutive runs of one input back into one result (in order). */
export function concatHashed(parts: readonly HashedIdentities[]): HashedIdentities {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  let count = 0;
  let refreshCount = 0;
  for (const part of parts) {
    count += part.count;
    refreshCount += part.refreshFromMs.length;
  }
  const firstLevelHashes = new Uint8Array(count * FLH_BYTES);
  const refreshFromMs = new Float64Array(refreshCount);
  const rawUids: (string | null)[] = [];
  const previousRawUids: (string | null)[] = [];
  const bucketIds: (string | null)[] = [];
  let offset = 0;
  let refreshOffset = 0;
  for (const part of parts) {
    firstLevelHashes.set(part.firstLevelHashes, offset * FLH_BYTES);
    refreshFromMs.set(part.refreshFromMs, refreshOffset);
    offset += part.count;
    refreshOffset += part.refreshFromMs.length;
    for (const value of part.rawUids) rawUids.push(value);
    for (const value of part.previousRawUids) previousRawUids.push(value);
    for (const value of part.bucketIds) bucketIds.push(value);
  }
  return { count, firstLevelHashes, rawUids, previousRawUids, refreshFromMs, bucketIds };
}
