import type {
  IdentityMapV2Result,
  OptOutStatus,
  SaltBucketUpdate,
  TokenGenerateResult,
  TokenRefreshResult,
} from '../types.js';
import {
  type WireObject,
  asArray,
  asObject,
  badFormat,
  identityFromWire,
  int,
  statusOf,
  str,
  unexpectedStatus,
} from './wire.js';

/** Reads a decrypted generate / client-generate answer (spec/api.md §6.1, §6.4). */
export function generateResult(json: WireObject): TokenGenerateResult {
  const { status, body } = statusOf(json);
  if (status === 'success') return { status, identity: identityFromWire(body) };
  if (status === 'optout' || status === 'insufficient_user_consent') return { status };
  return unexpectedStatus(status);
}

/** Reads a decrypted refresh answer (spec/api.md §6.2). */
export function refreshResult(json: WireObject): TokenRefreshResult {
  const { status, body } = statusOf(json);
  if (status === 'success') return { status, identity: identityFromWire(body) };
  if (status === 'optout') return { status };
  return unexpectedStatus(status);
}

/** Reads the success body of `/v2/identity/map` (spec/api.md §7.1; `unmapped` may be absent). */
export function mapV2FromWire(body: unknown): IdentityMapV2Result {
  const object = asObject(body, 'body');
  const mapped = asArray(object['mapped'], 'mapped').map((entry) => {
    const item = asObject(entry, 'mapped item');
    return {
      identifier: str(item, 'identifier'),
      advertisingId: str(item, 'advertising_id'),
      bucketId: str(item, 'bucket_id'),
    };
  });
  const unmappedWire = object['unmapped'] === undefined ? [] : asArray(object['unmapped'], 'unmapped');
  const unmapped = unmappedWire.map((entry) => {
    const item = asObject(entry, 'unmapped item');
    return { identifier: str(item, 'identifier'), reason: str(item, 'reason') };
  });
  return { mapped, unmapped };
}

/** Reads the success body of `/v2/identity/buckets`: `[{bucket_id, last_updated}]` (spec/api.md §7.3). */
export function bucketsFromWire(body: unknown): SaltBucketUpdate[] {
  return asArray(body, 'body').map((entry) => {
    const item = asObject(entry, 'bucket');
    const lastUpdated = str(item, 'last_updated');
    const lastUpdatedMs = Date.parse(`${lastUpdated}Z`);
    if (Number.isNaN(lastUpdatedMs)) badFormat('last_updated is not a date-time');
    return { bucketId: str(item, 'bucket_id'), lastUpdated, lastUpdatedMs };
  });
}

/** Reads the success body of `/v2/optout/status`: `{opted_out: [...]}` (spec/api.md §8). */
export function optOutFromWire(body: unknown): OptOutStatus[] {
  const object = asObject(body, 'body');
  return asArray(object['opted_out'], 'opted_out').map((entry) => {
    const item = asObject(entry, 'opted_out item');
    return { advertisingId: str(item, 'advertising_id'), optedOutSinceMs: int(item, 'opted_out_since') };
  });
}
