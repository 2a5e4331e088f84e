import type { FastifyInstance } from 'fastify';
import { UnauthorizedError } from '../errors.js';
import { bearerKey, type ApiKeyIndex, type Role } from '../state/api-keys.js';

/**
 * API-key authentication (spec/api.md §2.2), after the body is read and before the envelope is
 * opened (§2.1). Required routes answer 401 `{"status":"unauthorized"}` for a missing, unknown or
 * disabled key or one without an accepted role; optional routes (`/v2/token/refresh`) only note
 * the client — a disabled-but-known key still counts as authenticated there.
 */
export function registerAuth(app: FastifyInstance, apiKeys: () => ApiKeyIndex): void {
  app.decorateRequest('client', undefined);
  // Callback style: nothing here awaits, and an async hook costs a promise per request.
  app.addHook('preValidation', (request, reply, done) => {
    const route = request.uid2Route;
    if (route === undefined || route.auth === 'none') {
      done();
      return;
    }
    const trace = request.headers['x-amzn-trace-id'];
    if (typeof trace === 'string' && trace !== '') reply.header('X-Amzn-Trace-Id', trace);
    const key = bearerKey(request.headers.authorization);
    const client = key === undefined ? undefined : apiKeys().find(key);
    if (route.auth === 'optional') {
      request.client = client;
      done();
      return;
    }
    if (client === undefined || client.disabled || !hasRole(client.roles, route.roles)) {
      done(new UnauthorizedError());
      return;
    }
    request.client = client;
    done();
  });
}

function hasRole(granted: readonly string[], accepted: readonly Role[] | undefined): boolean {
  if (accepted === undefined) return false;
  for (const role of accepted) if (granted.includes(role)) return true;
  return false;
}
