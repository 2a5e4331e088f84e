/** Why a `HashPool` job failed. */
export type HashPoolErrorCode =
  'ERR_HASH_WORKER_CRASHED' | 'ERR_HASH_FAILED' | 'ERR_HASH_POOL_CLOSED' | 'ERR_NO_OPTOUTS';

/**
 * A failed hashing job (the identity-map routes answer 500 `unknown`): `ERR_HASH_WORKER_CRASHED`
 * (its worker died twice), `ERR_HASH_FAILED` (the worker reported an error; `detail` is that
 * error's code, e.g. `ERR_SALT_BUCKET_MISSING`), `ERR_HASH_POOL_CLOSED`, `ERR_NO_OPTOUTS` (v3 items
 * asked of a pool built without opt-outs). Never carries data.
 */
export class HashPoolError extends Error {
  override readonly name = 'HashPoolError';
  constructor(
    readonly code: HashPoolErrorCode,
    readonly detail?: string,
  ) {
    super(code);
  }
}
