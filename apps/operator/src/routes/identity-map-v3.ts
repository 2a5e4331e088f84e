import {
  DII_FIELD_INFO,
  DII_FIELDS,
  ErrorMessage,
  parseIdentityMapV3Request,
} from '@uid2-operator/api-contracts';
import type { FastifyInstance } from 'fastify';
import type { HashedIdentities } from '../services/hash-batch.js';
import type { RouteDeps } from './deps.js';
import { hashPoolFor, mappedOptedOut, rejectServiceKey, UNMAPPED_REASON } from './identity-map-shared.js';
import { encryptedRequest, valueOrThrow } from './shared.js';

/** One `/v3/identity/map` element: mapped `{u, p, r}` (r in epoch seconds) or unmapped `{e}`. */
type V3Item =
  | { readonly u: string; readonly p: string | null; readonly r: number }
  | { readonly e: (typeof UNMAPPED_REASON)[keyof typeof UNMAPPED_REASON] };

const INVALID: V3Item = Object.freeze({ e: UNMAPPED_REASON.invalid });
const OPTED_OUT: V3Item = Object.freeze({ e: UNMAPPED_REASON.optOut });

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
    async (request) => {
      const { envelope, client } = encryptedRequest(request);
      const parsed = valueOrThrow(
        parseIdentityMapV3Request(envelope.payload, { phoneSupport: deps.config.phoneSupport }),
      );
      rejectServiceKey(client);
      const inputs = DII_FIELDS.map((field) => ({ ...DII_FIELD_INFO[field], values: parsed[field] }));
      const hashed = await pool.map(inputs, 'v3', deps.now());
      const items = (index: number): V3Item[] => {
        const input = inputs[index];
        const run = hashed[index];
        return input === undefined || run === undefined ? [] : itemsOf(deps, run, input.type);
      };
      const body = { email: items(0), email_hash: items(1), phone: items(2), phone_hash: items(3) };
      return { body, status: 'success' };
    },
  );
}

function itemsOf(deps: RouteDeps, hashed: HashedIdentities, type: 'email' | 'phone'): V3Item[] {
  const items: V3Item[] = [];
  for (let i = 0; i < hashed.count; i++) {
    const u = hashed.rawUids[i] ?? null;
    if (u === null) items.push(INVALID);
    else if (mappedOptedOut(deps, hashed, i, type)) items.push(OPTED_OUT);
    else
      items.push({
        u,
        p: hashed.previousRawUids[i] ?? null,
        r: Math.floor((hashed.refreshFromMs[i] ?? 0) / 1000),
      });
  }
  return items;
}
