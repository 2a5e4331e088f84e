/**
 * `@uid2-operator/salt-buckets`: first-level hash, salt-bucket choice, raw UID v2/v3/v4, the
 * compact in-memory salt table, identity mapping, `/v2/identity/buckets` helpers, salt files and
 * rotation planning (spec/internals.md §3.3–3.10, spec/api.md §5.4, §7.2–7.3).
 */
export { SALT_ERROR_CODES, SaltError } from './salt-error.js';
export type { SaltErrorCode } from './salt-error.js';
export {
  IDENTITY_ENVIRONMENT_VALUE,
  IDENTITY_SCOPE_VALUE,
  IDENTITY_TYPE_VALUE,
  rawUidV3PrefixByte,
  rawUidV4MetaByte,
} from './identity.js';
export type { IdentityEnvironment, IdentityScope, IdentityType } from './identity.js';
export type { KeyMaterial, SaltBucket, SaltSource } from './salt-bucket.js';
export { createFirstLevelHasher, firstLevelHash } from './first-level-hash.js';
export { PRODUCTION_BUCKET_COUNT, bucketIndex } from './bucket-index.js';
export { rawUidV2, rawUidV3, rawUidV4 } from './raw-uid.js';
export {
  DAY_MS,
  PREVIOUS_UID_MAX_AGE_DAYS,
  effectiveRefreshFromMs,
  isWithinPreviousUidWindow,
  startOfNextUtcDay,
} from './refresh-from.js';
export { createSaltTable, createSaltTableFrom, isSaltTable, restoreSaltTable } from './salt-table.js';
export type { CreateSaltTableOptions, SaltTable, SaltTableState } from './salt-table.js';
export { mapFirstLevelHash, mapIdentity, toV3IdentityMapItem } from './map-identity.js';
export type { MapIdentityOptions, MappedIdentity, V3IdentityMapItem } from './map-identity.js';
export { BUCKET_ID_MIN_LENGTH, bucketIdFor, createBucketIdEncoder } from './bucket-id.js';
export { SALT_FILE_COLUMNS, parseSaltFile, parseSaltFileLine, saltBucketFromRow } from './salt-file.js';
export type { SaltFileRow } from './salt-file.js';
export { formatLastUpdated, parseSinceTimestamp, tryParseSinceTimestamp } from './since-timestamp.js';
export { bucketsUpdatedSince } from './buckets-updated-since.js';
export type { UpdatedBucket } from './buckets-updated-since.js';
export { defaultRotationRefreshFromMs, planRotation } from './plan-rotation.js';
export type { PlanRotationOptions } from './plan-rotation.js';
