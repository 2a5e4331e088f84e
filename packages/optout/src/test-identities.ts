import type { IdentityType } from './identity.js';

/**
 * How a test identity is treated by the opt-out check (spec/internals.md §6.2, spec/api.md §5.5):
 *
 * - `'always-opted-out'`: generate, CSTG, refresh and identity map all answer `optout`.
 * - `'opted-out-on-refresh'`: generate and map succeed (never opted out, the store is not asked);
 *   refresh answers `optout`.
 * - `'never-opted-out'`: never opted out, the store is not asked (meant for `/v2/token/validate`).
 */
export type TestIdentityBehaviour = 'always-opted-out' | 'opted-out-on-refresh' | 'never-opted-out';

/** One built-in test identity: normalized DII string, its type and its behaviour. */
export interface TestIdentity {
  readonly dii: string;
  readonly type: IdentityType;
  readonly behaviour: TestIdentityBehaviour;
}

/**
 * The operator's built-in test identities (uid2-operator `IdentityConst`, spec/internals.md §6.2,
 * spec/api.md §5.5), as normalized DII. The caller hashes each one (SHA-256, then the first-level
 * hash with its first-level salt) for its scope and passes the results to `createOptOutPolicy`.
 * `optout@unifiedid.com` / `+00000000001` are unused by the reference and left out.
 */
export const TEST_IDENTITIES = [
  { dii: 'optout@example.com', type: 'email', behaviour: 'always-opted-out' },
  { dii: '+00000000000', type: 'phone', behaviour: 'always-opted-out' },
  { dii: 'refresh-optout@example.com', type: 'email', behaviour: 'opted-out-on-refresh' },
  { dii: '+00000000002', type: 'phone', behaviour: 'opted-out-on-refresh' },
  { dii: 'validate@example.com', type: 'email', behaviour: 'never-opted-out' },
  { dii: '+12345678901', type: 'phone', behaviour: 'never-opted-out' },
] as const satisfies readonly TestIdentity[];

/** The normalized DII string of one of the {@link TEST_IDENTITIES}. */
export type TestIdentityDii = (typeof TEST_IDENTITIES)[number]['dii'];

/** The {@link TestIdentity} for a DII string, or `undefined` when it is not a test identity. */
export function testIdentityOf(dii: string): TestIdentity | undefined {
  return TEST_IDENTITIES.find((identity) => identity.dii === dii);
}
