import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';
import { registerHealthcheck } from './healthcheck.js';
import { registerTokenClientGenerate } from './token-client-generate.js';
import { registerTokenGenerate } from './token-generate.js';
import { registerTokenLogout } from './token-logout.js';
import { registerTokenRefresh } from './token-refresh.js';
import { registerTokenValidate } from './token-validate.js';

export type { RouteDeps } from './deps.js';

/** Registers every endpoint of spec/api.md §1, one file each. */
export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  registerHealthcheck(app, deps);
  registerTokenGenerate(app, deps);
  registerTokenRefresh(app, deps);
  registerTokenValidate(app, deps);
  registerTokenClientGenerate(app, deps);
  registerTokenLogout(app, deps);
}
