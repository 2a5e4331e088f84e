import { describe, expect, it } from 'vitest';
import { CstgPayloadSchema, CstgRequestSchema, CstgResponseSchema } from './cstg-schemas.js';

const BODY = {
  payload: 'fp0gX0NLZsXBjgi+leOa9CaBnbli',
  iv: 'So5uklYc1vgycAEI',
  public_key: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
  timestamp: 1767225600123,
  subscription_id: '4WvryDGbR5',
};

describe('CSTG schemas', () => {
  it('accepts the web and mobile request shapes', () => {
    expect(CstgRequestSchema.safeParse(BODY).success).toBe(true);
    expect(CstgRequestSchema.safeParse({ ...BODY, app_name: 'com.uid2.devapp' }).success).toBe(true);
    const { timestamp: _t, ...noTimestamp } = BODY;
    expect(CstgRequestSchema.safeParse(noTimestamp).success).toBe(true);
  });

  it.each([
    ['an unknown key', { extra: 1 }],
    ['a missing iv', { iv: undefined }],
    ['a string timestamp', { timestamp: '1' }],
  ])('refuses a request with %s', (_name, change) => {
    expect(CstgRequestSchema.safeParse({ ...BODY, ...change }).success).toBe(false);
  });

  it('takes exactly one hash in the inner payload', () => {
    expect(CstgPayloadSchema.safeParse({ email_hash: 'x' }).success).toBe(true);
    expect(CstgPayloadSchema.safeParse({ phone_hash: 'x', email: 'a@b.com' }).success).toBe(true);
    expect(CstgPayloadSchema.safeParse({ email: 'a@b.com' }).success).toBe(false);
    expect(CstgPayloadSchema.safeParse({ email_hash: 'x', phone_hash: 'y' }).success).toBe(false);
  });

  it('answers success or optout only', () => {
    expect(CstgResponseSchema.safeParse({ status: 'optout' }).success).toBe(true);
    expect(CstgResponseSchema.safeParse({ status: 'insufficient_user_consent' }).success).toBe(false);
  });
});
