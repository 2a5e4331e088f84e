import type { FastifyInstance } from 'fastify';
import { UnauthorizedError } from '../errors.js';
import { bearerKey, type ApiKeyIndex } from '../state/api-keys.js';

/**
 * API-key authentication (spec/api.md §2.2), after the body is read and before the envelope is
 * opened (§2.1). Required routes answer 401 `{"status":"unauthorized"}` for a missing, unknown or
 * disabled key or one without an accepted role; optional routes (`/v2/token/refresh`) only note
 * the client — a disabled-but-known key still counts as authenticated there.
 */
export function registerAuth(app: FastifyInstance, apiKeys: () => ApiKeyIndex): void {
  app.decorateRequest('client', undefined);
  app.addHook('preValidation', async (request, reply) => {
    const route = request.routeOptions.config.uid2;
    if (route === undefined || route.auth === 'none') return;
    const trace = request.headers['x-amzn-trace-id'];
    if (typeof trace === 'string' && trace !== '') reply.header('X-Amzn-Trace-Id', trace);
    const key = bearerKey(request.headers.authorization);
    const client = key === undefined ? undefined : apiKeys().find(key);
    if (route.auth === 'optional') {
      request.client = client;
      return;
    }
    if (client === undefined || client.disabled) throw new UnauthorizedError();
    const roles = route.roles ?? [];
    if (!roles.some((role) => client.roles.includes(role))) throw new UnauthorizedError();
    request.client = client;
  });
}
