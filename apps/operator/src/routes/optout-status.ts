import { ErrorMessage, parseOptOutStatusRequest } from '@uid2-operator/api-contracts';
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';
import { encryptedRequest, valueOrThrow } from './shared.js';

/** Base64 length of a 32- or 33-byte raw UID (44 characters either way). */
const RAW_UID_BASE64_LENGTH = 44;

/**
 * `POST /v2/optout/status` (spec/api.md §8, spec/internals.md §6.1): `advertising_ids` (raw UID2s,
 * base64) in, at most `OPTOUT_STATUS_MAX_REQUEST_SIZE`; `{"opted_out": [{advertising_id,
 * opted_out_since}]}` out with only the opted-out ids, in input order, `opted_out_since` = stored
 * epoch seconds × 1000. Roles MAPPER, SHARER, ID_READER. Registered only when
 * `OPTOUT_STATUS_API_ENABLED`. 400 `Invalid request body` / `Required Parameter Missing:
 * advertising_ids` / `Request payload is too large`; unexpected failures 500 `unknown`
 * `Unknown error while getting optout status`.
 */
export function registerOptOutStatus(app: FastifyInstance, deps: RouteDeps): void {
  if (!deps.config.optoutStatusApiEnabled) return;
  app.post(
    '/v2/optout/status',
    {
      config: {
        uid2: {
          auth: 'required',
          roles: ['MAPPER', 'SHARER', 'ID_READER'],
          encrypted: true,
          metric: 'optout_status',
          unknownErrorMessage: ErrorMessage.OptOutStatusUnknown,
        },
      },
    },
    (request) => {
      const { envelope } = encryptedRequest(request);
      const { advertisingIds } = valueOrThrow(
        parseOptOutStatusRequest(envelope.payload, { maxItems: deps.config.optoutStatusMaxRequestSize }),
      );
      const optedOut: { advertising_id: string; opted_out_since: number }[] = [];
      for (const id of advertisingIds) {
        const seconds = optedOutSinceSeconds(deps, id);
        if (seconds >= 0) optedOut.push({ advertising_id: id, opted_out_since: seconds * 1000 });
      }
      return { body: { opted_out: optedOut }, status: 'success' };
    },
  );
}

/**
 * Opt-out time of one advertising id in epoch seconds, or -1. The reference looks ids up by exact
 * string, so only the canonical padded base64 of a 32- or 33-byte raw UID can match; anything else
 * (other lengths, non-base64, non-canonical spellings of the same bytes) is simply not opted out.
 */
function optedOutSinceSeconds(deps: RouteDeps, id: string): number {
  if (id.length !== RAW_UID_BASE64_LENGTH) return -1;
  const bytes = Buffer.from(id, 'base64');
  if ((bytes.length !== 32 && bytes.length !== 33) || bytes.toString('base64') !== id) return -1;
  return deps.state.policy.advertisingIdOptedOutSince(bytes);
}
