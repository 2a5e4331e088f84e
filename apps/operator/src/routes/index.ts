import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';
import { registerHealthcheck } from './healthcheck.js';
import { registerIdentityBuckets } from './identity-buckets.js';
import { registerIdentityMapV2 } from './identity-map-v2.js';
import { registerIdentityMapV3 } from './identity-map-v3.js';
import { registerKeyBidstream } from './key-bidstream.js';
import { registerKeyLatest } from './key-latest.js';
import { registerKeySharing } from './key-sharing.js';
import { registerOpenApi } from './openapi.js';
import { registerOptOutStatus } from './optout-status.js';
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
  registerIdentityMapV2(app, deps);
  registerIdentityMapV3(app, deps);
  registerIdentityBuckets(app, deps);
  registerOptOutStatus(app, deps);
  registerKeySharing(app, deps);
  registerKeyBidstream(app, deps);
  registerKeyLatest(app, deps);
  registerOpenApi(app, deps);
}
