import { ErrorMessage, parseValidateRequest } from '@uid2-operator/api-contracts';
import {
  decodeAdvertisingToken,
  TokenError,
  type DecodedAdvertisingToken,
  type KeyRing,
} from '@uid2-operator/token-core';
import type { FastifyInstance } from 'fastify';
import { clientError } from '../errors.js';
import type { RouteDeps } from './deps.js';
import { diiHashOrThrow, encryptedRequest, mapOne, valueOrThrow } from './shared.js';

/** Decodes the advertising token, any version, without an expiry check (spec/api.md §6.3). */
function decodeOrThrow(token: string | null, keyRing: KeyRing): DecodedAdvertisingToken {
  if (token === null) throw clientError(ErrorMessage.ValidateInvalidToken);
  try {
    return decodeAdvertisingToken(token, keyRing);
  } catch (error) {
    if (error instanceof TokenError) throw clientError(ErrorMessage.ValidateInvalidToken);
    throw error;
  }
}

/** Site owning the keyset of the token's site key, or `undefined` when the key or keyset is unknown. */
function siteOfSiteKey(token: DecodedAdvertisingToken, keyRing: KeyRing): number | undefined {
  const key = keyRing.byId(token.siteKeyId);
  return key === undefined ? undefined : keyRing.keyset(key.keysetId)?.siteId;
}

/**
 * `POST /v2/token/validate` (spec/api.md §6.3, spec/internals.md §7.4): `true` when the raw UID in
 * the advertising token equals the raw UID of the given DII under the current salts, else `false`.
 * The DII is checked (and normalized) before the token; the token's site key must belong to a
 * keyset of the caller's site, so tokens minted with the fallback site-2 key are refused. Neither
 * expiry nor opt-out is checked. Unexpected failures are the plain 500 `Internal Server Error`.
 */
export function registerTokenValidate(app: FastifyInstance, deps: RouteDeps): void {
  const { config } = deps;
  app.post(
    '/v2/token/validate',
    {
      config: { uid2: { auth: 'required', roles: ['GENERATOR'], encrypted: true, metric: 'token_validate' } },
    },
    (request) => {
      const { envelope, client } = encryptedRequest(request);
      const { identity, token } = valueOrThrow(
        parseValidateRequest(envelope.payload, { phoneSupport: config.phoneSupport }),
      );
      const diiHash = diiHashOrThrow(identity.type, identity.form, identity.value);
      const keyRing = deps.state.snapshot.keyRing;
      const decoded = decodeOrThrow(token, keyRing);
      if (siteOfSiteKey(decoded, keyRing) !== client.siteId)
        throw clientError(ErrorMessage.ValidateUnauthorised);
      const mapped = mapOne(deps, identity.type, diiHash, deps.now());
      return { status: 'success', body: mapped.rawUid.equals(decoded.rawUid) };
    },
  );
}
