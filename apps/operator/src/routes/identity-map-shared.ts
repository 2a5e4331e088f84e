import { availableParallelism } from 'node:os';
import { ErrorMessage } from '@uid2-operator/api-contracts';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { FLH_BYTES, type HashedIdentities } from '../services/hash-batch.js';
import { HashPool } from '../services/hash-pool.js';
import type { ApiClient } from '../state/api-keys.js';
import type { RouteDeps } from './deps.js';

const pools = new WeakMap<RouteDeps, HashPool>();

/**
 * The hashing pool both identity-map routes share (one per app): `HASH_WORKERS` threads (default
 * `os.availableParallelism()`, 0 = chunked on the event loop), kept current through
 * `OperatorState.onSaltsChanged`, started when the server listens (or by the first large map)
 * and closed with the app.
 */
export function hashPoolFor(app: FastifyInstance, deps: RouteDeps): HashPool {
  const existing = pools.get(deps);
  if (existing !== undefined) return existing;
  const { config, state } = deps;
  const pool = new HashPool({
    salts: state.salts,
    settings: {
      scope: config.identityScope,
      environment: config.identityEnvironment,
      identityV3: config.identityV3,
    },
    optOuts: { policy: state.policy, index: state.optOuts, testHashes: state.testHashes },
    threads: config.hashWorkers ?? availableParallelism(),
    nice: config.hashWorkerNice,
    logger: app.log,
  });
  const unsubscribe = state.onSaltsChanged(() => pool.saltsChanged());
  app.addHook('onListen', (done) => {
    pool.start();
    done();
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    await pool.close();
  });
  pools.set(deps, pool);
  return pool;
}

/**
 * Service-linked API keys (`service_id ≠ 0`) are refused on identity map: this operator does not
 * validate service links, which the reference answers the same way (spec/api.md §7.1-7.2, §11
 * `validate_service_links=false`). Runs after the input checks, so input 400s win.
 * @throws ApiError 401 `unauthorized` `Invalid link_id`
 */
export function rejectServiceKey(client: ApiClient): void {
  if (client.serviceId !== 0) throw new ApiError('unauthorized', ErrorMessage.InvalidLinkId);
}

/** Whether identifier `i` of a hashed run must be answered `optout` (spec/api.md §5.5, identity map). */
export function mappedOptedOut(
  deps: RouteDeps,
  hashed: HashedIdentities,
  i: number,
  type: 'email' | 'phone',
): boolean {
  return deps.state.policy.isOptedOutAt(hashed.firstLevelHashes, i * FLH_BYTES, {
    scope: deps.config.identityScope,
    type,
    forRefresh: false,
  });
}
