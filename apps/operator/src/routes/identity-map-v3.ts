import {
  DII_FIELD_INFO,
  DII_FIELDS,
  ErrorMessage,
  parseIdentityMapV3Request,
} from '@uid2-operator/api-contracts';
import type { FastifyInstance } from 'fastify';
import { isOctetStream, rawBody } from '../plugins/body.js';
import { openEncryptedRequest } from '../plugins/envelope.js';
import { v3ResponseBytes } from '../services/map-v3-json.js';
import { refusalError } from '../services/v3-map-request.js';
import type { RouteDeps } from './deps.js';
import { hashPoolFor, rejectServiceKey } from './identity-map-shared.js';
import { encryptedRequest, valueOrThrow } from './shared.js';

/**
 * Request bodies from this size on (about 200 emails) are answered whole on a hashing worker:
 * envelope, parsing, mapping, opt-outs and sealing. Smaller ones are cheaper on the event loop.
 */
export const WORKER_BODY_BYTES = 16 * 1024;

/**
 * `POST /v3/identity/map` (spec/api.md §7.2): any mix of the four DII arrays in; all four arrays
 * out, index-aligned with the input, each element `{u, p, r}` (`p` null but present when there is
 * no previous raw UID, `r` in **seconds**) or `{e: "optout" | "invalid identifier"}`. SDKs send it
 * as `application/octet-stream` and get raw bytes back (both forms are handled).
 * Strict request schema (400 `Incorrect request format`); service keys get 401 `Invalid link_id`;
 * unexpected failures 500 `unknown` `Unknown error while mapping identity v3`.
 *
 * While the hashing workers are busy, large requests go whole to one of them
 * (`HashPool.answerV3Map`), which answers exactly as the path below, so the event loop only moves
 * bytes (throughput, and short requests keep their latency); an idle pool instead gets the
 * request split across all its workers (the latency of one large map).
 * `MAP_WHOLE_REQUESTS=always` sends every large request whole.
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
          openInHandler: true,
          metric: 'identity_map_v3',
          unknownErrorMessage: ErrorMessage.MapV3Unknown,
        },
      },
    },
    async (request, reply) => {
      const body = rawBody(request.body);
      const client = request.client;
      if (
        client !== undefined &&
        body !== undefined &&
        body.length >= WORKER_BODY_BYTES &&
        pool.answersOnWorkers &&
        (deps.config.mapWholeRequests === 'always' || pool.busy)
      ) {
        const answer = await pool.answerV3Map({
          body,
          binary: isOctetStream(request.headers['content-type']),
          secret: client.secret,
          nowMs: deps.now(),
          serviceKey: client.serviceId !== 0,
          phoneSupport: deps.config.phoneSupport,
        });
        if (!answer.ok) throw refusalError(answer.refusal);
        // Already sealed (no `request.seal`): the envelope hook lets it through as it is.
        void reply.header('content-type', answer.binary ? 'application/octet-stream' : 'text/plain');
        return reply.send(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.length));
      }

      openEncryptedRequest(request, deps.now());
      const opened = encryptedRequest(request);
      const parsed = valueOrThrow(
        parseIdentityMapV3Request(opened.envelope.payload, { phoneSupport: deps.config.phoneSupport }),
      );
      rejectServiceKey(opened.client);
      const inputs = DII_FIELDS.map((field) => ({ ...DII_FIELD_INFO[field], values: parsed[field] }));
      // Hashing, opt-out checks and the items' JSON bytes happen in the hashing workers (or in
      // chunks on the event loop without them).
      const [email, emailHash, phone, phoneHash] = await pool.mapV3Json(inputs, deps.now());
      if (email === undefined || emailHash === undefined || phone === undefined || phoneHash === undefined)
        throw new Error('identity map answered fewer arrays than asked');
      // Pre-serialized bytes (identical to JSON.stringify of the object answer); the envelope
      // onSend hook seals them and sets the content type.
      return reply.send(v3ResponseBytes([email, emailHash, phone, phoneHash]));
    },
  );
}
