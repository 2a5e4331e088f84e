import type { KeysResponse, KeysSource, ServedKey, SiteDomains } from '../keys-response.js';
import type { IdentityScope } from '../types.js';
import { type WireObject, asArray, asObject, badFormat, int, optionalInt, str } from './wire.js';

/** Reads one key object `{id, created, activates, expires, secret, keyset_id?, site_id?}` (spec/api.md §9). */
export function keyFromWire(value: unknown): ServedKey {
  const object = asObject(value, 'key');
  const secret = Buffer.from(str(object, 'secret'), 'base64');
  if (secret.length !== 32) badFormat('key secret is not 32 bytes');
  return {
    id: int(object, 'id'),
    keysetId: optionalInt(object, 'keyset_id'),
    siteId: optionalInt(object, 'site_id'),
    createdSeconds: int(object, 'created'),
    activatesSeconds: int(object, 'activates'),
    expiresSeconds: int(object, 'expires'),
    secret,
  };
}

function scopeOf(object: WireObject): IdentityScope {
  const scope = object['identity_scope'] ?? 'UID2';
  if (scope !== 'UID2' && scope !== 'EUID') return badFormat('identity_scope is neither UID2 nor EUID');
  return scope;
}

function siteDataOf(object: WireObject): SiteDomains[] {
  if (object['site_data'] === undefined || object['site_data'] === null) return [];
  return asArray(object['site_data'], 'site_data').map((entry) => {
    const site = asObject(entry, 'site_data entry');
    const names = asArray(site['domain_names'], 'domain_names').map((name) =>
      typeof name === 'string' ? name : badFormat('domain name is not a string'),
    );
    return { siteId: int(site, 'id'), domainNames: names };
  });
}

function tokenExpiryOf(object: WireObject): number | undefined {
  const value = object['token_expiry_seconds'];
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'string' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds))
    return badFormat('token_expiry_seconds is not an integer');
  return seconds;
}

/**
 * Reads the success body of `/v2/key/sharing` or `/v2/key/bidstream` (spec/api.md §9.1, §9.2).
 * @throws Uid2ClientError `ERR_RESPONSE_FORMAT`
 */
export function keysResponseFromWire(body: unknown, source: KeysSource): KeysResponse {
  const object = asObject(body, 'body');
  return {
    source,
    identityScope: scopeOf(object),
    allowClockSkewSeconds: optionalInt(object, 'allow_clock_skew_seconds') ?? 1800,
    keys: asArray(object['keys'], 'keys').map(keyFromWire),
    siteData: siteDataOf(object),
    callerSiteId: optionalInt(object, 'caller_site_id'),
    masterKeysetId: optionalInt(object, 'master_keyset_id'),
    defaultKeysetId: optionalInt(object, 'default_keyset_id'),
    tokenExpirySeconds: tokenExpiryOf(object),
    maxSharingLifetimeSeconds: optionalInt(object, 'max_sharing_lifetime_seconds'),
    maxBidstreamLifetimeSeconds: optionalInt(object, 'max_bidstream_lifetime_seconds'),
  };
}
