import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { OperatorConfig } from './config.js';
import { RandomPool } from './lib/random-pool.js';
import { registerAuth } from './plugins/auth.js';
import { registerRawBody } from './plugins/body.js';
import { frameworkErrors, registerSecurityHeaders } from './plugins/security-headers.js';
import { registerCors } from './plugins/cors.js';
import { registerEnvelope } from './plugins/envelope.js';
import { registerErrorHandling, type KnownPaths } from './plugins/errors.js';
import { registerMetrics } from './plugins/metrics.js';
import { registerRouteContext } from './plugins/route-context.js';
import './plugins/route-config.js';
import { registerRoutes, type RouteDeps } from './routes/index.js';
import type { OperatorState } from './state/operator-state.js';

/** What {@link buildApp} needs. `now` and `random` are injectable for tests. */
export interface AppOptions {
  readonly config: OperatorConfig;
  readonly state: OperatorState;
  readonly logger: Logger;
  /** Wall clock, epoch ms (default `Date.now`). */
  readonly now?: () => number;
  readonly random?: RandomPool;
}

/**
 * Builds the operator's Fastify app: raw bodies, CORS, API-key auth, envelope open/seal, metrics,
 * the error table, and one route file per endpoint. `server.ts` only listens and shuts down.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, state } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? new RandomPool();
  // pino's Logger is wider than FastifyBaseLogger; the app only uses the base surface.
  const app = Fastify({
    loggerInstance: options.logger,
    // Per-request log lines would carry URLs and timings only, but cost throughput; metrics cover them.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    requestIdHeader: false,
    frameworkErrors,
  }) as unknown as FastifyInstance;
  const knownPaths = new Map<string, string[]>();
  app.addHook('onRoute', (route) => {
    if (route.method === 'HEAD' || route.method === 'OPTIONS') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    knownPaths.set(route.url, [...(knownPaths.get(route.url) ?? []), ...methods]);
  });

  registerRouteContext(app);
  registerSecurityHeaders(app);
  registerRawBody(app);
  registerCors(app);
  registerAuth(app, () => state.snapshot.apiKeys);
  registerEnvelope(app, { random, now });
  registerErrorHandling(app, { scope: config.identityScope, knownPaths: (): KnownPaths => knownPaths });
  registerMetrics(app, () => state.ages(now()));
  app.options('/*', async (_request, reply) => reply.code(204).send());

  const deps: RouteDeps = { config, state, now, random };
  registerRoutes(app, deps);
  await app.ready();
  return app;
}
