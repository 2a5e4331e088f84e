import {
  DII_FIELD_INFO,
  DII_FIELDS,
  ErrorMessage,
  parseIdentityMapV3Request,
} from '@uid2-operator/api-contracts';
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';
import { v3ResponseBytes } from '../services/map-v3-json.js';
import { hashPoolFor, rejectServiceKey } from './identity-map-shared.js';
import { encryptedRequest, valueOrThrow } from './shared.js';

/**
 * `POST /v3/identity/map` (spec/api.md §7.2): any mix of the four DII arrays in; all four arrays
 * out, index-aligned with the input, each element `{u, p, r}` (`p` null but present when there is
 * no previous raw UID, `r` in **seconds**) or `{e: "optout" | "invalid identifier"}`. SDKs send it
 * as `application/octet-stream` and get raw bytes back (the envelope hooks handle both forms).
 * Strict request schema (400 `Incorrect request format`); service keys get 401 `Invalid link_id`;
 * unexpected failures 500 `unknown` `Unknown error while mapping identity v3`.
 */
export function registerIdentityMapV3(app: FastifyInstance, deps: RouteDeps): void {
  const pool = hashPoolFor(app, deps);
  app.post(
    '/v3/identity/map',
    {
      config: {
        uid2: {
          auth: 'required',
          roles: ['MAPPER'],
          encrypted: true,
          metric: 'identity_map_v3',
          unknownErrorMessage: ErrorMessage.MapV3Unknown,
        },
      },
    },
    async (request, reply) => {
      const { envelope, client } = encryptedRequest(request);
      const parsed = valueOrThrow(
        parseIdentityMapV3Request(envelope.payload, { phoneSupport: deps.config.phoneSupport }),
      );
      rejectServiceKey(client);
      const inputs = DII_FIELDS.map((field) => ({ ...DII_FIELD_INFO[field], values: parsed[field] }));
      // Hashing, opt-out checks and the items' JSON bytes all happen in the hashing workers.
      const [email, emailHash, phone, phoneHash] = await pool.mapV3Json(inputs, deps.now());
      if (email === undefined || emailHash === undefined || phone === undefined || phoneHash === undefined)
        throw new Error('identity map answered fewer arrays than asked');
      // Pre-serialized bytes (identical to JSON.stringify of the object answer); the envelope
      // onSend hook seals them and sets the content type.
      return reply.send(v3ResponseBytes([email, emailHash, phone, phoneHash]));
    },
  );
}
