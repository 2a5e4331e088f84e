import { ErrorMessage, parseLogoutRequest } from '@uid2-operator/api-contracts';
import { diiHashOf } from '@uid2-operator/dii-normalize';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import type { RouteDeps } from './deps.js';
import { encryptedRequest, mapOne, valueOrThrow } from './shared.js';

/**
 * `POST /v2/token/logout` (spec/api.md §10.1, spec/internals.md §6.3): records a user opt-out.
 * Role `OPTOUT`; one DII as in generate. The opt-out (first-level hash, current raw UID, scope,
 * type, time in epoch seconds) is committed to the database before the answer, and is in force in
 * this process at once; generate then answers `optout` and `/v2/optout/status` lists the raw UID.
 *
 * Invalid DII → 400 `invalid_token` (`Invalid Token presented null` when missing, ambiguous or no
 * payload; `Invalid Token presented invalid identifier` when it does not normalize). A store
 * failure → the plain 500 `Internal Server Error`, with nothing recorded.
 */
export function registerTokenLogout(app: FastifyInstance, deps: RouteDeps): void {
  const { config } = deps;
  app.post(
    '/v2/token/logout',
    {
      config: { uid2: { auth: 'required', roles: ['OPTOUT'], encrypted: true, metric: 'token_logout' } },
    },
    async (request) => {
      const { envelope } = encryptedRequest(request);
      // `email`, `phone` and `clientIp` were forwarded to the reference's opt-out service; the
      // record here needs only the hashes, so they are neither stored nor logged.
      const { identity } = valueOrThrow(
        parseLogoutRequest(envelope.payload, { phoneSupport: config.phoneSupport }),
      );
      const diiHash = diiHashOf(identity.type, identity.form, identity.value);
      if (diiHash === null) throw new ApiError('invalid_token', ErrorMessage.LogoutInvalidIdentifier);
      const now = deps.now();
      const mapped = mapOne(deps, identity.type, diiHash, now);
      await deps.state.recordOptOut({
        firstLevelHash: mapped.firstLevelHash,
        advertisingId: mapped.rawUid,
        scope: config.identityScope,
        type: identity.type,
        optedOutAtSeconds: Math.floor(now / 1000),
      });
      return { status: 'success', body: { optout: 'OK' } };
    },
  );
}
