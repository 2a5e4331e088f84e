import { ErrorMessage, parseBucketsRequest } from '@uid2-operator/api-contracts';
import { bucketsUpdatedSince, formatLastUpdated, tryParseSinceTimestamp } from '@uid2-operator/salt-buckets';
import type { FastifyInstance } from 'fastify';
import { clientError } from '../errors.js';
import type { RouteDeps } from './deps.js';
import { encryptedRequest, valueOrThrow } from './shared.js';

/**
 * `POST /v2/identity/buckets` (spec/api.md §7.3): `since_timestamp` (ISO local date-time, read as
 * UTC) in; a JSON **array** of every salt bucket rotated at or after it out, in bucket order, each
 * `{bucket_id, last_updated: "yyyy-MM-ddTHH:mm:ss.SSS"}` (UTC). 400 `missing parameter
 * since_timestamp` (also for an envelope without JSON, where the reference fails with a plain 500)
 * and `invalid date, must conform to ISO 8601`; unexpected failures plain 500.
 */
export function registerIdentityBuckets(app: FastifyInstance, deps: RouteDeps): void {
  app.post(
    '/v2/identity/buckets',
    {
      config: { uid2: { auth: 'required', roles: ['MAPPER'], encrypted: true, metric: 'identity_buckets' } },
    },
    (request) => {
      const { envelope } = encryptedRequest(request);
      const { sinceTimestamp } = valueOrThrow(parseBucketsRequest(envelope.payload));
      const sinceMs = tryParseSinceTimestamp(sinceTimestamp);
      if (sinceMs === null) throw clientError(ErrorMessage.BucketsInvalidDate);
      const body = bucketsUpdatedSince(deps.state.salts, sinceMs).map((bucket) => ({
        bucket_id: bucket.bucketId,
        last_updated: formatLastUpdated(bucket.lastUpdatedMs),
      }));
      return { body, status: 'success' };
    },
  );
}
