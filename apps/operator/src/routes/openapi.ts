import { buildOpenApiDocument } from '@uid2-operator/api-contracts';
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of the public API (api-contracts
 * `buildOpenApiDocument`), built and serialized once at startup. Its server URL is `/`, i.e.
 * relative to wherever the document is served, so it stays right behind proxies and on any port.
 * No authentication; not part of the reference API.
 */
export function registerOpenApi(app: FastifyInstance, _deps: RouteDeps): void {
  const document = JSON.stringify(buildOpenApiDocument({ serverUrl: '/' }));
  app.get('/openapi.json', async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(document),
  );
}
