import { randomBytes } from 'node:crypto';
import { diiHashOf } from '@uid2-operator/dii-normalize';
import { firstLevelHash } from '@uid2-operator/salt-buckets';
import {
  encodeRefreshToken,
  wrapRefreshToken,
  type IdentityScope,
  type IdentityType,
} from '@uid2-operator/token-core';
import { TEST_FIRST_LEVEL_SALT, type Fixture } from './fixture.js';

/** The clock most refresh tests run at: 2026-01-01T00:00:00Z, epoch ms. */
export const REFRESH_TEST_T0 = 1_767_225_600_000;
/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;

/** First-level hash of a raw DII under the fixture's first-level salt (32 bytes). */
export function testFirstLevelHash(type: IdentityType, dii: string): Buffer {
  const hash = diiHashOf(type, 'raw', dii);
  if (hash === null) throw new Error('test DII does not normalize');
  return firstLevelHash(hash, TEST_FIRST_LEVEL_SALT);
}

/** A hand-made refresh token: the 388-character wrapper, its inner token and the response key (base64). */
export interface CraftedRefreshToken {
  readonly wrapper: string;
  readonly inner: string;
  readonly responseKey: string;
}

/** Options of {@link craftRefreshToken}; times in epoch ms (default: created at {@link REFRESH_TEST_T0}). */
export interface CraftRefreshTokenOptions {
  readonly flh: Buffer;
  readonly scope?: IdentityScope;
  readonly type?: IdentityType;
  readonly establishedMs?: number;
  readonly expiresMs?: number;
}

/**
 * A refresh token for site 999 made directly with the fixture's refresh key, for states generate
 * never issues (other scope, deprecated, expired, always-opted-out identities).
 */
export function craftRefreshToken(fixture: Fixture, options: CraftRefreshTokenOptions): CraftedRefreshToken {
  const refreshKey = fixture.keys.refresh;
  const inner = encodeRefreshToken({
    identity: { scope: options.scope ?? 'UID2', type: options.type ?? 'email' },
    siteId: 999,
    privacyBits: 1,
    establishedMs: options.establishedMs ?? REFRESH_TEST_T0,
    createdMs: REFRESH_TEST_T0,
    expiresMs: options.expiresMs ?? REFRESH_TEST_T0 + 24 * HOUR_MS,
    firstLevelHash: options.flh,
    refreshKey,
    iv: randomBytes(12),
  });
  const responseKey = randomBytes(32);
  const wrapper = wrapRefreshToken({
    scope: 'UID2',
    innerToken: inner,
    refreshResponseKey: responseKey,
    refreshKey,
    iv: randomBytes(12),
  });
  return { wrapper, inner, responseKey: responseKey.toString('base64') };
}
