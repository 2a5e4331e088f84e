import type { SharingKey } from '@uid2-operator/api-contracts';
import { MASTER_KEYSET_ID, MASTER_KEYSET_ID_FOR_SDKS } from '@uid2-operator/token-core';
import type { FastifyInstance } from 'fastify';
import { keyObject, keysForCaller, keysSuccess, siteDataFor } from '../services/key-response.js';
import type { RouteDeps } from './deps.js';
import { encryptedRequest } from './shared.js';

/** Tolerance the reference adds to the lifetimes it reports (spec/api.md §9.1-9.2). */
export const LIFETIME_TOLERANCE_SECONDS = 10;

/**
 * `POST /v2/key/sharing` (spec/api.md §9.1, spec/internals.md §4.4-4.5), roles SHARER and
 * ID_READER: the caller's accessible keys for SDK sharing. Fields in the reference's order:
 * `caller_site_id`, `master_keyset_id` (9999999), `default_keyset_id` (only with an enabled default
 * keyset), `token_expiry_seconds` (a **string**), `max_sharing_lifetime_seconds` (SHARER only,
 * + 10 s), `identity_scope`, `allow_clock_skew_seconds`, `keys` (times in epoch seconds;
 * `keyset_id` = own keyset id, 9999999 for master keys, omitted otherwise), `site_data` (CSTG only).
 * Any JSON in the envelope is ignored. No active master key or several default keysets → plain 500.
 */
export function registerKeySharing(app: FastifyInstance, deps: RouteDeps): void {
  const { config } = deps;
  app.post(
    '/v2/key/sharing',
    {
      config: {
        uid2: { auth: 'required', roles: ['SHARER', 'ID_READER'], encrypted: true, metric: 'key_sharing' },
      },
    },
    (request) => {
      const { client } = encryptedRequest(request);
      const { keyRing, sites } = deps.state.snapshot;
      const keys = keysForCaller(keyRing, client, deps.now());
      const defaultKeyset = keyRing.defaultKeysetOf(client.siteId);
      const sharingKeys = keys.map((key): SharingKey => {
        const object = keyObject(key);
        if (key.keysetId === MASTER_KEYSET_ID) return { ...object, keyset_id: MASTER_KEYSET_ID_FOR_SDKS };
        const keyset = keyRing.keyset(key.keysetId);
        return keyset?.siteId === client.siteId ? { ...object, keyset_id: key.keysetId } : object;
      });
      const maxSharingLifetime =
        (config.maxSharingLifetimeSeconds ?? config.sharingTokenExpirySeconds) + LIFETIME_TOLERANCE_SECONDS;
      const body = {
        caller_site_id: client.siteId,
        master_keyset_id: MASTER_KEYSET_ID_FOR_SDKS,
        ...(defaultKeyset === undefined ? {} : { default_keyset_id: defaultKeyset.keysetId }),
        token_expiry_seconds: String(config.sharingTokenExpirySeconds),
        ...(client.roles.includes('SHARER') ? { max_sharing_lifetime_seconds: maxSharingLifetime } : {}),
        identity_scope: config.identityScope,
        allow_clock_skew_seconds: config.allowClockSkewSeconds,
        keys: sharingKeys,
        site_data: siteDataFor(keys, keyRing, sites, config),
      };
      return keysSuccess(body);
    },
  );
}
