import { ErrorMessage } from '@uid2-operator/api-contracts';
import {
  decodeRefreshToken,
  REFRESH_TOKEN_CUTOFF_MS,
  REFRESH_TOKEN_WRAPPER_LENGTH,
  refreshWrapperErrorMessage,
  TokenError,
  unwrapRefreshToken,
  type DecodedRefreshToken,
  type KeyRing,
  type UnwrappedRefreshToken,
} from '@uid2-operator/token-core';
import { mapFirstLevelHash } from '@uid2-operator/salt-buckets';
import type { FastifyInstance } from 'fastify';
import { ApiError, clientError } from '../errors.js';
import { isOctetStream, rawBody } from '../plugins/body.js';
import { issueTokens, type IdentityTokens } from '../services/token-issuer.js';
import type { RouteDeps } from './deps.js';

/** Why a refresh token is refused (spec/api.md §6.2 response mapping). */
type RefreshFailure = 'invalid' | 'expired';

/** The answers of `/v2/token/refresh` with HTTP 200. */
type RefreshAnswer =
  { readonly status: 'success'; readonly body: IdentityTokens } | { readonly status: 'optout' };

const OPTOUT: RefreshAnswer = { status: 'optout' };

/**
 * The 400 of a refused refresh token (spec/api.md §6.2): `error` / `Error refreshing token` for an
 * unauthenticated caller, otherwise `invalid_token` / `Invalid Token presented` or
 * `expired_token` / `Expired Token presented`.
 */
export function refreshFailure(failure: RefreshFailure, authenticated: boolean): ApiError {
  if (!authenticated) return new ApiError('error', ErrorMessage.RefreshError);
  return failure === 'expired'
    ? new ApiError('expired_token', ErrorMessage.RefreshExpiredToken)
    : new ApiError('invalid_token', ErrorMessage.RefreshInvalidToken);
}

/** Opens a 388-character wrapper; its failures are 400 `client_error` whatever the auth state. */
function unwrapOrThrow(text: string, keyRing: KeyRing): UnwrappedRefreshToken {
  try {
    return unwrapRefreshToken(text, keyRing);
  } catch (error) {
    if (error instanceof TokenError) throw clientError(refreshWrapperErrorMessage(error));
    throw error;
  }
}

/**
 * Decodes the inner refresh token. Every decoding failure counts as an invalid token: the
 * reference answers 500 for some malformed bodies (a too-short token, a GCM failure under a known
 * key id), which the project answers as the 400 of a bad token instead.
 */
function decodeOrThrow(
  text: string,
  keyRing: KeyRing,
  fail: (failure: RefreshFailure) => ApiError,
): DecodedRefreshToken {
  try {
    return decodeRefreshToken(text, keyRing);
  } catch (error) {
    if (error instanceof TokenError) throw fail('invalid');
    throw error;
  }
}

/**
 * `POST /v2/token/refresh` (spec/api.md §6.2, §3.3; spec/internals.md §2.3, §7.3). Optional auth;
 * the body is the refresh token text. A 388-character body is the wrapper: its 200 answer is
 * encrypted with the `refresh_response_key` inside it (raw bytes when the request was
 * `application/octet-stream`). Any other body is a bare inner token answered in plain JSON.
 * Checks in order: scope, deprecation cut-off (→ `optout`), expiry, opt-out with the refresh rules
 * (→ `optout`); then new tokens for the token's site, privacy bits and established time, with the
 * raw UID recomputed from the current salts.
 */
export function registerTokenRefresh(app: FastifyInstance, deps: RouteDeps): void {
  const { config } = deps;
  app.post(
    '/v2/token/refresh',
    {
      config: {
        uid2: {
          auth: 'optional',
          encrypted: false,
          metric: 'token_refresh',
          unknownErrorMessage: ErrorMessage.RefreshUnknown,
        },
      },
    },
    (request): RefreshAnswer => {
      const fail = (failure: RefreshFailure) => refreshFailure(failure, request.client !== undefined);
      const keyRing = deps.state.snapshot.keyRing;
      let innerToken = rawBody(request.body)?.toString('utf8') ?? '';
      if (innerToken.length === REFRESH_TOKEN_WRAPPER_LENGTH) {
        const unwrapped = unwrapOrThrow(innerToken, keyRing);
        const binary = isOctetStream(request.headers['content-type']);
        request.seal = { kind: 'refresh', key: unwrapped.refreshResponseKey, binary };
        innerToken = unwrapped.innerToken;
      }

      const token = decodeOrThrow(innerToken, keyRing, fail);
      const now = deps.now();
      if (token.identityScope !== config.identityScope) throw fail('invalid');
      if (token.establishedMs < REFRESH_TOKEN_CUTOFF_MS) return OPTOUT;
      if (token.expiresMs < now) throw fail('expired');
      try {
        const check = { scope: config.identityScope, type: token.identityType, forRefresh: true } as const;
        if (deps.state.policy.isOptedOut(token.firstLevelHash, check)) return OPTOUT;
        const body = issueTokens(
          {
            type: token.identityType,
            firstLevelHash: token.firstLevelHash,
            rawUid: mapFirstLevelHash(token.firstLevelHash, deps.state.salts, {
              scope: config.identityScope,
              type: token.identityType,
              environment: config.identityEnvironment,
              identityV3: config.identityV3,
              nowMs: now,
            }).rawUid,
            siteId: token.siteId,
            privacyBits: token.privacyBits,
            establishedMs: token.establishedMs,
            nowMs: now,
          },
          { keyRing, config, random: deps.random },
        );
        return { status: 'success', body };
      } catch (error) {
        // `No active encryption key available` stays a 500; anything else is an invalid token (§6.2 step 4).
        if (error instanceof ApiError) throw error;
        throw fail('invalid');
      }
    },
  );
}
