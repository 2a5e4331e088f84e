/**
 * `@uid2-operator/optout`: the opt-out decision (spec/api.md §5.5, spec/internals.md §6.1–6.2),
 * a compact in-memory opt-out index for tens of millions of records, and the `OptOutStore`
 * interface with its in-memory reference (conformance suite on `@uid2-operator/optout/testing`).
 */
export { IDENTITY_SCOPES, IDENTITY_TYPES, isIdentityScope, isIdentityType } from './identity.js';
export type { IdentityScope, IdentityType } from './identity.js';
export { OPT_OUT_ERROR_CODES, OptOutError } from './optout-error.js';
export type { OptOutErrorCode } from './optout-error.js';
export {
  FIRST_LEVEL_HASH_BYTES,
  MAX_OPT_OUT_SECONDS,
  assertAdvertisingId,
  assertFirstLevelHash,
  assertOptOutRecord,
} from './opt-out-record.js';
export type { OptOutRecord } from './opt-out-record.js';
export { TEST_IDENTITIES, testIdentityOf } from './test-identities.js';
export type { TestIdentity, TestIdentityBehaviour, TestIdentityDii } from './test-identities.js';
export { createOptOutPolicy } from './create-opt-out-policy.js';
export type { OptOutCheck, OptOutLookup, OptOutPolicy, TestIdentityHash } from './create-opt-out-policy.js';
export { OptOutIndex } from './opt-out-index.js';
export { SharedOptOutHashReader } from './shared-opt-out-hashes.js';
export type { SharedOptOutHashes, SharedSegmentUpdate } from './shared-opt-out-hashes.js';
export type { OptOutIndexOptions, OptOutRecordSource } from './opt-out-index.js';
export type { OptOutScanOptions, OptOutScanPage, OptOutStore } from './opt-out-store.js';
export { InMemoryOptOutStore } from './in-memory-opt-out-store.js';
