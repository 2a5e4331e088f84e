import type { FastifyInstance } from 'fastify';
import { keyObject, keysForCaller, keysSuccess, siteDataFor } from '../services/key-response.js';
import type { RouteDeps } from './deps.js';
import { LIFETIME_TOLERANCE_SECONDS } from './key-sharing.js';
import { encryptedRequest } from './shared.js';

/**
 * `POST /v2/key/bidstream` (spec/api.md §9.2, spec/internals.md §4.4-4.5), role ID_READER: keys
 * for DSPs to decrypt bid-stream tokens. Fields in the reference's order:
 * `max_bidstream_lifetime_seconds` (`MAX_BIDSTREAM_LIFETIME_SECONDS`, default the identity token
 * lifetime, + 10 s), `identity_scope`, `allow_clock_skew_seconds`, `keys` (no `keyset_id`, times
 * in epoch seconds), `site_data` (CSTG only). Any JSON in the envelope is ignored. No active master
 * key → plain 500.
 */
export function registerKeyBidstream(app: FastifyInstance, deps: RouteDeps): void {
  const { config } = deps;
  const maxLifetime =
    (config.maxBidstreamLifetimeSeconds ?? config.identityTokenExpiresAfterSeconds) +
    LIFETIME_TOLERANCE_SECONDS;
  app.post(
    '/v2/key/bidstream',
    {
      config: { uid2: { auth: 'required', roles: ['ID_READER'], encrypted: true, metric: 'key_bidstream' } },
    },
    (request) => {
      const { client } = encryptedRequest(request);
      const { keyRing, sites } = deps.state.snapshot;
      const keys = keysForCaller(keyRing, client, deps.now());
      const body = {
        max_bidstream_lifetime_seconds: maxLifetime,
        identity_scope: config.identityScope,
        allow_clock_skew_seconds: config.allowClockSkewSeconds,
        keys: keys.map(keyObject),
        site_data: siteDataFor(keys, keyRing, sites, config),
      };
      return keysSuccess(body);
    },
  );
}
