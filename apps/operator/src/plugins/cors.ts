import type { FastifyInstance } from 'fastify';

const ALLOWED_HEADERS = [
  'X-UID2-Client-Version',
  'Access-Control-Request-Method',
  'Access-Control-Allow-Credentials',
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Headers',
  'Content-Type',
].join(',');

/** Routes whose preflight also allows `Authorization` (spec/api.md §2.6). */
const AUTHORIZATION_ALLOWED = new Set(['/v2/token/validate']);

/**
 * CORS as the reference: any origin is echoed back with `Vary: Origin`; methods GET, POST, OPTIONS;
 * a fixed header list, plus `Authorization` only on `/v2/token/validate`; preflights answer 204.
 */
export function registerCors(app: FastifyInstance): void {
  // Callback style (no promise per request); a preflight answers here and never calls `done`.
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin === undefined) {
      done();
      return;
    }
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Vary', 'Origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      const path = request.url.split('?', 1)[0] ?? '';
      reply.header('Access-Control-Allow-Methods', 'GET,POST,OPTIONS');
      reply.header(
        'Access-Control-Allow-Headers',
        AUTHORIZATION_ALLOWED.has(path) ? `${ALLOWED_HEADERS},Authorization` : ALLOWED_HEADERS,
      );
      void reply.code(204).send();
      return;
    }
    done();
  });
}
