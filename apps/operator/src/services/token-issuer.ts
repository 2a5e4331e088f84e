import {
  encodeAdvertisingTokenV4,
  encodeRefreshToken,
  wrapRefreshToken,
  type IdentityType,
  type KeyRing,
} from '@uid2-operator/token-core';
import type { OperatorConfig } from '../config.js';
import { ApiError } from '../errors.js';
import type { RandomPool } from '../lib/random-pool.js';

/** The `body` of a successful generate, refresh or client-generate answer (spec/api.md §6.1). */
export interface IdentityTokens {
  readonly advertising_token: string;
  /** The 388-character wrapper (spec/api.md §12.3). */
  readonly refresh_token: string;
  /** Epoch ms. */
  readonly identity_expires: number;
  /** Epoch ms. */
  readonly refresh_expires: number;
  /** Epoch ms. */
  readonly refresh_from: number;
  /** Base64 of the 32-byte key that encrypts the next refresh answer. */
  readonly refresh_response_key: string;
}

/** Who and what a token set is issued for. */
export interface IssueInput {
  readonly type: IdentityType;
  /** 32-byte first-level hash (carried by the refresh token). */
  readonly firstLevelHash: Uint8Array;
  /** Raw UID put into the advertising token. */
  readonly rawUid: Uint8Array;
  /** Publisher site the tokens belong to. */
  readonly siteId: number;
  readonly privacyBits: number;
  /** When the identity was first established, epoch ms (kept across refreshes). */
  readonly establishedMs: number;
  /** Issuance time, epoch ms. */
  readonly nowMs: number;
}

/** 500 `unknown` of spec/api.md §6.1 when a master, site or refresh key is missing. */
export const NO_ACTIVE_KEY_MESSAGE = 'No active encryption key available';

/**
 * Mints the advertising token (V4, master + site key), the inner V3 refresh token and its
 * 388-character wrapper with a fresh `refresh_response_key` (spec/internals.md §7.2 steps 5–8).
 * @throws ApiError 500 `unknown` `No active encryption key available`
 */
export function issueTokens(
  input: IssueInput,
  deps: { keyRing: KeyRing; config: OperatorConfig; random: RandomPool },
): IdentityTokens {
  const { keyRing, config, random } = deps;
  const now = input.nowMs;
  const masterKey = keyRing.masterKey(now);
  const siteKey = keyRing.siteKey(input.siteId, now);
  const refreshKey = keyRing.refreshKey(now);
  if (masterKey === undefined || siteKey === undefined || refreshKey === undefined) {
    throw new ApiError('unknown', NO_ACTIVE_KEY_MESSAGE);
  }
  const identity = { scope: config.identityScope, type: input.type } as const;
  const identityExpires = now + config.identityTokenExpiresAfterSeconds * 1000;
  const refreshExpires = now + config.refreshTokenExpiresAfterSeconds * 1000;
  const advertisingToken = encodeAdvertisingTokenV4({
    identity,
    siteId: input.siteId,
    privacyBits: input.privacyBits,
    establishedMs: input.establishedMs,
    refreshedMs: now,
    createdMs: now,
    expiresMs: identityExpires,
    rawUid: input.rawUid,
    masterKey,
    siteKey,
    masterIv: random.take(12),
    siteIv: random.take(12),
  });
  const innerToken = encodeRefreshToken({
    identity,
    siteId: input.siteId,
    privacyBits: input.privacyBits,
    establishedMs: input.establishedMs,
    createdMs: now,
    expiresMs: refreshExpires,
    firstLevelHash: input.firstLevelHash,
    refreshKey,
    iv: random.take(12),
  });
  const refreshResponseKey = Buffer.from(random.take(32));
  const refreshToken = wrapRefreshToken({
    scope: config.identityScope,
    innerToken,
    refreshResponseKey,
    refreshKey,
    iv: random.take(12),
  });
  return {
    advertising_token: advertisingToken,
    refresh_token: refreshToken,
    identity_expires: identityExpires,
    refresh_expires: refreshExpires,
    refresh_from: now + config.refreshIdentityTokenAfterSeconds * 1000,
    refresh_response_key: refreshResponseKey.toString('base64'),
  };
}
