import { describe, expect, it } from 'vitest';
import {
  IdentityTokensSchema,
  TokenGenerateRequestSchema,
  TokenGenerateResponseSchema,
  TokenLogoutRequestSchema,
  TokenLogoutResponseSchema,
  TokenRefreshRequestSchema,
  TokenRefreshResponseSchema,
  TokenValidateRequestSchema,
  TokenValidateResponseSchema,
} from './token-schemas.js';

const H = 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=';
const TOKENS = {
  advertising_token:
    'A4AAAABlir8V7bV8jGqb6ZQyAMjgn3lekM1lWm6WPK3kDAqyvezsr-SlIyWdR99wNA6bvVHq_bHTvNk52vRXKrsamSral8HQ',
  refresh_token: `AAAAAGayagtg${'A'.repeat(376)}`,
  identity_expires: 1767484800130,
  refresh_expires: 1769817600130,
  refresh_from: 1767229200130,
  refresh_response_key: '159f3UzTCsrsf2SoOYSc2yFrfUudorBdm9up+P6mjRk=',
};

describe('token request schemas', () => {
  it.each([
    [{ email: 'user@example.com' }],
    [{ email_hash: H, tcf_consent_string: 'CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA' }],
    [{ phone: '+12345678901', email: null }],
    [{ phone_hash: H, optout_check: 1 }],
  ])('accepts the generate request %j', (body) => {
    expect(TokenGenerateRequestSchema.safeParse(body).success).toBe(true);
  });

  it('strips unknown generate keys such as policy', () => {
    expect(TokenGenerateRequestSchema.parse({ email: 'a@b.com', policy: 1 })).toEqual({ email: 'a@b.com' });
  });

  it.each([[{}], [{ email: 'a@b.com', phone: '+12345678901' }], [{ email: 1 }], [{ email: null }]])(
    'refuses the generate request %j',
    (body) => {
      expect(TokenGenerateRequestSchema.safeParse(body).success).toBe(false);
    },
  );

  it('requires a token next to exactly one DII on validate', () => {
    expect(
      TokenValidateRequestSchema.safeParse({ token: 'AgAAAAN', email: 'validate@example.com' }).success,
    ).toBe(true);
    expect(TokenValidateRequestSchema.safeParse({ email: 'validate@example.com' }).success).toBe(false);
    expect(TokenValidateRequestSchema.safeParse({ token: 'x' }).success).toBe(false);
  });

  it('takes an optional clientIp on logout', () => {
    expect(TokenLogoutRequestSchema.safeParse({ email: 'a@b.com', clientIp: '127.0.0.1' }).success).toBe(
      true,
    );
    expect(TokenLogoutRequestSchema.safeParse({ clientIp: '127.0.0.1' }).success).toBe(false);
  });

  it('describes the refresh request as plain text', () => {
    expect(TokenRefreshRequestSchema.safeParse('AAAAAGayag').success).toBe(true);
    expect(TokenRefreshRequestSchema.safeParse({ refresh_token: 'x' }).success).toBe(false);
  });
});

describe('token response schemas', () => {
  it('accepts the three generate outcomes', () => {
    expect(TokenGenerateResponseSchema.parse({ status: 'success', body: TOKENS }).status).toBe('success');
    expect(TokenGenerateResponseSchema.parse({ status: 'optout' })).toEqual({ status: 'optout' });
    expect(TokenGenerateResponseSchema.parse({ status: 'insufficient_user_consent' }).status).toBe(
      'insufficient_user_consent',
    );
  });

  it('refuses insufficient_user_consent on refresh and a body on optout', () => {
    expect(TokenRefreshResponseSchema.safeParse({ status: 'insufficient_user_consent' }).success).toBe(false);
    expect(TokenRefreshResponseSchema.safeParse({ status: 'optout', body: TOKENS }).success).toBe(false);
    expect(TokenRefreshResponseSchema.safeParse({ status: 'success', body: TOKENS }).success).toBe(true);
  });

  it.each([
    ['a missing refresh_response_key', { refresh_response_key: undefined }],
    ['a refresh token of 387 characters', { refresh_token: 'A'.repeat(387) }],
    ['times as strings', { identity_expires: '1767484800130' }],
    ['a padded advertising token', { advertising_token: 'A4AA==' }],
    ['an extra field', { user_token: 'x' }],
  ])('refuses identity tokens with %s', (_name, change) => {
    expect(IdentityTokensSchema.safeParse({ ...TOKENS, ...change }).success).toBe(false);
  });

  it('accepts true and false validate bodies only', () => {
    expect(TokenValidateResponseSchema.safeParse({ status: 'success', body: true }).success).toBe(true);
    expect(TokenValidateResponseSchema.safeParse({ status: 'success', body: false }).success).toBe(true);
    expect(TokenValidateResponseSchema.safeParse({ status: 'success', body: 'true' }).success).toBe(false);
  });

  it('accepts the logout body {"optout":"OK"}', () => {
    expect(TokenLogoutResponseSchema.safeParse({ status: 'success', body: { optout: 'OK' } }).success).toBe(
      true,
    );
    expect(TokenLogoutResponseSchema.safeParse({ status: 'success', body: { optout: 'ok' } }).success).toBe(
      false,
    );
  });
});
