import type { OperatorConfig } from '../config.js';
import type { RandomPool } from '../lib/random-pool.js';
import type { OperatorState } from '../state/operator-state.js';

/** What every route handler may use; nothing else is ambient. */
export interface RouteDeps {
  readonly config: OperatorConfig;
  readonly state: OperatorState;
  /** Wall clock, epoch ms. */
  readonly now: () => number;
  /** Source of IVs, nonces and response keys. */
  readonly random: RandomPool;
}
