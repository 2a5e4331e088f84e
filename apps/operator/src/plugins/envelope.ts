import {
  openRequestEnvelope,
  sealCstgResponse,
  sealRefreshResponse,
  sealResponseEnvelope,
} from '@uid2-operator/crypto-envelope';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RandomPool } from '../lib/random-pool.js';
import { isOctetStream, rawBody } from './body.js';
import type { ResponseSeal } from './route-config.js';

/**
 * Opens the v2 request envelope of encrypted routes before the handler runs, so handlers see
 * plain JSON (spec/api.md §3.1), and encrypts every 200 answer that has a {@link ResponseSeal}
 * (§3.2 envelope with the echoed nonce, §3.3 refresh response key, §3.4 CSTG shared key).
 * Non-200 answers always leave as plain JSON.
 */
export function registerEnvelope(
  app: FastifyInstance,
  options: { random: RandomPool; now: () => number },
): void {
  app.decorateRequest('envelope', undefined);
  app.decorateRequest('seal', undefined);

  app.addHook('preHandler', (request, _reply, done) => {
    const route = request.uid2Route;
    if (route?.encrypted !== true || route.openInHandler === true || request.client === undefined) {
      done();
      return;
    }
    try {
      openEncryptedRequest(request, options.now());
      done();
    } catch (error) {
      done(error as Error);
    }
  });

  // Callback style: sealing is synchronous, so no promise per response.
  app.addHook('onSend', (request, reply, payload, done) => {
    const seal = request.seal;
    if (seal === undefined || reply.statusCode !== 200) {
      done(null, payload);
      return;
    }
    const json = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload : undefined;
    if (json === undefined) {
      done(null, payload);
      return;
    }
    let sealed: Buffer;
    try {
      sealed = sealWith(seal, json, options);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (seal.kind !== 'cstg' && seal.binary) {
      reply.header('content-type', 'application/octet-stream');
      done(null, sealed);
      return;
    }
    reply.header('content-type', 'text/plain');
    done(null, sealed.toString('base64'));
  });
}

/**
 * Opens the request's v2 envelope with its client's secret as of `nowMs` (epoch ms) and sets
 * `request.envelope` and the matching `request.seal` (spec/api.md §3.1-3.2), as the preHandler hook
 * does for encrypted routes; routes with `openInHandler` call it themselves when they answer on the
 * event loop.
 * @throws EnvelopeError (answered by the error hook); Error when the request has no client
 */
export function openEncryptedRequest(request: FastifyRequest, nowMs: number): void {
  const client = request.client;
  if (client === undefined) throw new Error('encrypted request without an authenticated client');
  const binary = isOctetStream(request.headers['content-type']);
  const opened = openRequestEnvelope(rawBody(request.body), { secret: client.secret, nowMs, binary });
  request.envelope = { timestampMs: opened.timestampMs, nonce: opened.nonce, payload: opened.payload };
  request.seal = {
    kind: 'envelope',
    secret: client.secret,
    nonce: opened.nonce,
    binary: opened.mode === 'binary',
  };
}

function sealWith(
  seal: ResponseSeal,
  json: string | Buffer,
  options: { random: RandomPool; now: () => number },
): Buffer {
  const iv = options.random.take(12);
  switch (seal.kind) {
    case 'envelope':
      return sealResponseEnvelope({ secret: seal.secret, nowMs: options.now(), nonce: seal.nonce, json, iv });
    case 'refresh':
      return sealRefreshResponse(seal.key, json, iv);
    case 'cstg':
      return sealCstgResponse(seal.key, json, iv);
  }
}
