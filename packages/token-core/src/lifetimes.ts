/** Token lifetimes of the runtime configuration, in **seconds** (spec/internals.md §7.1). */
export interface TokenLifetimesConfig {
  /** `identity_token_expires_after_seconds`: advertising token lifetime. */
  readonly identityTokenExpiresAfterSeconds: number;
  /** `refresh_token_expires_after_seconds`: refresh token lifetime. */
  readonly refreshTokenExpiresAfterSeconds: number;
  /** `refresh_identity_token_after_seconds`: when clients should refresh. */
  readonly refreshIdentityTokenAfterSeconds: number;
  /** `max_bidstream_lifetime_seconds`, if configured. */
  readonly maxBidstreamLifetimeSeconds?: number | undefined;
}

/** The times written into a token response, epoch **milliseconds**. */
export interface TokenLifetimes {
  /** `identity_expires`: the advertising token's expiry. */
  readonly identityExpiresMs: number;
  /** `refresh_expires`: the refresh token's expiry. */
  readonly refreshExpiresMs: number;
  /** `refresh_from`: when the client should refresh. */
  readonly refreshFromMs: number;
}

function isPositiveInteger(value: number | undefined): boolean {
  return Number.isSafeInteger(value) && (value ?? 0) > 0;
}

/**
 * Checks the lifetime rules of the runtime config (spec/internals.md §7.1): every TTL a positive
 * whole number of seconds, `refresh ≥ identity ≥ refresh-after`, and `max_bidstream ≥ identity`
 * when set.
 *
 * @returns every problem found, as config-key sentences; empty when the config is valid
 */
export function validateTokenLifetimes(config: TokenLifetimesConfig): string[] {
  const problems: string[] = [];
  const ttls = {
    identity_token_expires_after_seconds: config.identityTokenExpiresAfterSeconds,
    refresh_token_expires_after_seconds: config.refreshTokenExpiresAfterSeconds,
    refresh_identity_token_after_seconds: config.refreshIdentityTokenAfterSeconds,
  };
  for (const [name, value] of Object.entries(ttls)) {
    if (!isPositiveInteger(value)) problems.push(`${name} must be a positive integer`);
  }
  if (config.refreshTokenExpiresAfterSeconds < config.identityTokenExpiresAfterSeconds) {
    problems.push('refresh_token_expires_after_seconds must be >= identity_token_expires_after_seconds');
  }
  if (config.identityTokenExpiresAfterSeconds < config.refreshIdentityTokenAfterSeconds) {
    problems.push('identity_token_expires_after_seconds must be >= refresh_identity_token_after_seconds');
  }
  const maxBidstream = config.maxBidstreamLifetimeSeconds;
  if (
    maxBidstream !== undefined &&
    !(isPositiveInteger(maxBidstream) && maxBidstream >= config.identityTokenExpiresAfterSeconds)
  ) {
    problems.push(
      'max_bidstream_lifetime_seconds must be an integer >= identity_token_expires_after_seconds',
    );
  }
  return problems;
}

/**
 * The expiry and refresh-from times of a new identity issued at `nowMs` (spec/api.md §6.1): now +
 * each TTL, converted from seconds to milliseconds.
 */
export function computeLifetimes(config: TokenLifetimesConfig, nowMs: number): TokenLifetimes {
  return {
    identityExpiresMs: nowMs + config.identityTokenExpiresAfterSeconds * 1000,
    refreshExpiresMs: nowMs + config.refreshTokenExpiresAfterSeconds * 1000,
    refreshFromMs: nowMs + config.refreshIdentityTokenAfterSeconds * 1000,
  };
}
