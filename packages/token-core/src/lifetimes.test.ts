import { describe, expect, it } from 'vitest';
import { computeLifetimes, validateTokenLifetimes } from './lifetimes.js';

const repoDefaults = {
  identityTokenExpiresAfterSeconds: 3600,
  refreshTokenExpiresAfterSeconds: 86_400,
  refreshIdentityTokenAfterSeconds: 900,
};

describe('validateTokenLifetimes', () => {
  it('accepts the repository and production defaults', () => {
    expect(validateTokenLifetimes(repoDefaults)).toEqual([]);
    expect(
      validateTokenLifetimes({
        identityTokenExpiresAfterSeconds: 259_200,
        refreshTokenExpiresAfterSeconds: 2_592_000,
        refreshIdentityTokenAfterSeconds: 3600,
        maxBidstreamLifetimeSeconds: 259_200,
      }),
    ).toEqual([]);
  });

  it('accepts equal lifetimes', () => {
    const equal = {
      identityTokenExpiresAfterSeconds: 60,
      refreshTokenExpiresAfterSeconds: 60,
      refreshIdentityTokenAfterSeconds: 60,
    };
    expect(validateTokenLifetimes(equal)).toEqual([]);
  });

  it('lists every broken rule', () => {
    expect(
      validateTokenLifetimes({
        identityTokenExpiresAfterSeconds: 100,
        refreshTokenExpiresAfterSeconds: 50,
        refreshIdentityTokenAfterSeconds: 200,
        maxBidstreamLifetimeSeconds: 99,
      }),
    ).toEqual([
      'refresh_token_expires_after_seconds must be >= identity_token_expires_after_seconds',
      'identity_token_expires_after_seconds must be >= refresh_identity_token_after_seconds',
      'max_bidstream_lifetime_seconds must be an integer >= identity_token_expires_after_seconds',
    ]);
  });

  it('requires positive whole seconds', () => {
    const problems = validateTokenLifetimes({
      ...repoDefaults,
      refreshIdentityTokenAfterSeconds: 0,
      identityTokenExpiresAfterSeconds: 1.5,
    });
    expect(problems).toContain('identity_token_expires_after_seconds must be a positive integer');
    expect(problems).toContain('refresh_identity_token_after_seconds must be a positive integer');
  });
});

describe('computeLifetimes', () => {
  it('adds each TTL in seconds to now in milliseconds', () => {
    expect(computeLifetimes(repoDefaults, 1_767_225_600_123)).toEqual({
      identityExpiresMs: 1_767_229_200_123,
      refreshExpiresMs: 1_767_312_000_123,
      refreshFromMs: 1_767_226_500_123,
    });
  });
});
