import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';
import { registerHealthcheck } from './healthcheck.js';
import { registerTokenGenerate } from './token-generate.js';

export type { RouteDeps } from './deps.js';

/** Registers every endpoint of spec/api.md §1, one file each. */
export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  registerHealthcheck(app, deps);
  registerTokenGenerate(app, deps);
}
