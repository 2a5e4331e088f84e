import { afterEach, beforeEach, describe } from 'vitest';
import type { OptOutStore } from '../opt-out-store.js';
import { registerConformanceCases } from './conformance-cases.js';

/** What a conformance factory returns: a fresh, empty store and how to dispose of it. */
export interface OptOutStoreFixture {
  readonly store: OptOutStore;
  cleanup(): Promise<void>;
}

/** Options of {@link describeOptOutStoreConformance}. */
export interface OptOutStoreConformanceOptions {
  /** Timeout in ms for each test and for the factory / cleanup hooks (default: the Vitest config's). */
  readonly timeoutMs?: number;
}

/**
 * Registers Vitest `describe`/`it` blocks that check an `OptOutStore` implementation against the
 * contract documented on the interface: idempotent adds keeping the earliest time, (FLH, scope)
 * keys, advertising-id lookups, keyset-paginated scans in unsigned-byte order, whole-batch
 * validation. `factory` runs before every test and must return an empty store; `cleanup` runs after
 * it (a factory may reuse one database and truncate it, PGlite takes seconds to start).
 */
export function describeOptOutStoreConformance(
  name: string,
  factory: () => Promise<OptOutStoreFixture>,
  options: OptOutStoreConformanceOptions = {},
): void {
  describe(`OptOutStore conformance: ${name}`, () => {
    let fixture: OptOutStoreFixture | undefined;

    beforeEach(async () => {
      fixture = await factory();
    }, options.timeoutMs);

    afterEach(async () => {
      const done = fixture;
      fixture = undefined;
      await done?.cleanup();
    }, options.timeoutMs);

    registerConformanceCases(() => {
      if (fixture === undefined) throw new Error('the conformance factory did not provide a store');
      return fixture.store;
    }, options.timeoutMs);
  });
}
