/**
 * `@uid2-operator/optout/testing`: the `OptOutStore` conformance suite (Vitest) that every store
 * implementation runs, with the deterministic records it uses.
 */
export { describeOptOutStoreConformance } from './describe-opt-out-store-conformance.js';
export type {
  OptOutStoreConformanceOptions,
  OptOutStoreFixture,
} from './describe-opt-out-store-conformance.js';
export { conformanceHash, conformanceRecord, recordView, scanAll } from './conformance-records.js';
export type { ConformanceRecordExtra } from './conformance-records.js';
