import { unexpectedClientSiteId, type LatestKey } from '@uid2-operator/api-contracts';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { keyObject, keysForCaller, keysSuccess } from '../services/key-response.js';
import type { RouteDeps } from './deps.js';
import { encryptedRequest } from './shared.js';

/** Client site ids up to this are reserved (−1 master, −2 refresh, 1 deprecated default, 2 fallback). */
const MAX_RESERVED_SITE_ID = 2;

/**
 * `POST /v2/key/latest` (legacy, spec/api.md §9.3, spec/internals.md §4.4-4.5), role ID_READER: a
 * JSON **array** of the caller's accessible keys, each `{id, created, activates, expires, secret,
 * site_id}` (times in epoch seconds, `site_id` = keyset owner). A caller whose site id is ≤ 2 gets
 * 401 `invalid_client` `Unexpected client site id <n>` (checked first). Any JSON in the envelope is
 * ignored. No active master key → plain 500.
 */
export function registerKeyLatest(app: FastifyInstance, deps: RouteDeps): void {
  app.post(
    '/v2/key/latest',
    { config: { uid2: { auth: 'required', roles: ['ID_READER'], encrypted: true, metric: 'key_latest' } } },
    (request) => {
      const { client } = encryptedRequest(request);
      if (client.siteId <= MAX_RESERVED_SITE_ID) {
        throw new ApiError('invalid_client', unexpectedClientSiteId(client.siteId));
      }
      const { keyRing } = deps.state.snapshot;
      const body = keysForCaller(keyRing, client, deps.now()).map((key): LatestKey => ({
        ...keyObject(key),
        site_id: keyRing.keyset(key.keysetId)?.siteId ?? 0,
      }));
      return keysSuccess(body);
    },
  );
}
