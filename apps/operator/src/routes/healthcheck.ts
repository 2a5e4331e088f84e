import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';

/**
 * `GET /ops/healthcheck` (spec/api.md §10.2): `OK` when the snapshot follows the database.
 * When the database is unreachable the operator keeps serving from its last snapshot and answers
 * 200 `DEGRADED: <reason>` (so load balancers keep it in rotation); 503 only if it cannot serve.
 */
export function registerHealthcheck(app: FastifyInstance, deps: RouteDeps): void {
  app.get('/ops/healthcheck', async (_request, reply) => {
    const health = deps.state.health(deps.now());
    reply.type('text/plain');
    if (health.status === 'ok') return reply.send('OK');
    if (health.status === 'degraded') return reply.send(`DEGRADED: ${health.reason}`);
    return reply.code(503).send(health.reason);
  });
}
