import { ErrorMessage, parseIdentityMapV2Request } from '@uid2-operator/api-contracts';
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';
import { UNMAPPED_REASON } from '../services/map-v3-json.js';
import { hashPoolFor, mappedOptedOut, rejectServiceKey } from './identity-map-shared.js';
import { encryptedRequest, valueOrThrow } from './shared.js';

/** A mapped identifier of `/v2/identity/map`. */
interface MappedV2 {
  readonly identifier: string;
  readonly advertising_id: string;
  readonly bucket_id: string;
}

/** An unmapped identifier of `/v2/identity/map`. */
interface UnmappedV2 {
  readonly identifier: string;
  readonly reason: (typeof UNMAPPED_REASON)[keyof typeof UNMAPPED_REASON];
}

/**
 * `POST /v2/identity/map` (spec/api.md §7.1): one non-empty DII array in, `mapped` (identifier
 * echoed exactly as sent, raw UID2 `advertising_id`, `bucket_id`) and `unmapped` (`optout` /
 * `invalid identifier`, omitted when empty) out, in input order. Hashing runs on the hashing pool
 * so large maps do not block other requests. Service keys get 401 `Invalid link_id` after the
 * input checks; unexpected failures 500 `unknown` `Unknown error while mapping identity v2`.
 */
export function registerIdentityMapV2(app: FastifyInstance, deps: RouteDeps): void {
  const pool = hashPoolFor(app, deps);
  app.post(
    '/v2/identity/map',
    {
      config: {
        uid2: {
          auth: 'required',
          roles: ['MAPPER'],
          encrypted: true,
          metric: 'identity_map_v2',
          unknownErrorMessage: ErrorMessage.MapV2Unknown,
        },
      },
    },
    async (request) => {
      const { envelope, client } = encryptedRequest(request);
      const { type, form, values } = valueOrThrow(
        parseIdentityMapV2Request(envelope.payload, { phoneSupport: deps.config.phoneSupport }),
      );
      rejectServiceKey(client);
      const [hashed] = await pool.map([{ type, form, values }], 'v2', deps.now());
      const mapped: MappedV2[] = [];
      const unmapped: UnmappedV2[] = [];
      for (let i = 0; i < values.length; i++) {
        const identifier = values[i] as string;
        const rawUid = hashed?.rawUids[i] ?? null;
        if (hashed === undefined || rawUid === null) {
          unmapped.push({ identifier, reason: UNMAPPED_REASON.invalid });
        } else if (mappedOptedOut(deps, hashed, i, type)) {
          unmapped.push({ identifier, reason: UNMAPPED_REASON.optOut });
        } else {
          mapped.push({ identifier, advertising_id: rawUid, bucket_id: hashed.bucketIds[i] ?? '' });
        }
      }
      const body = unmapped.length === 0 ? { mapped } : { mapped, unmapped };
      return { body, status: 'success' };
    },
  );
}
