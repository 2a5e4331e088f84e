import { decodeAdvertisingToken } from '@uid2-operator/token-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';

describe('POST /v2/token/generate', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await createTestOperator();
  });
  afterAll(async () => operator.close());

  it('issues a V4 advertising token and a 388-character refresh token for an email', async () => {
    const { statusCode, json } = await operator.call('/v2/token/generate', { email: 'user@example.com' });
    expect(statusCode).toBe(200);
    const body = (json as { status: string; body: Record<string, unknown> }).body;
    expect((json as { status: string }).status).toBe('success');
    expect(body.refresh_token).toHaveLength(388);
    expect(String(body.advertising_token).startsWith('A4')).toBe(true);
    const decoded = decodeAdvertisingToken(String(body.advertising_token), operator.state.snapshot.keyRing);
    expect(decoded.siteId).toBe(999);
  });

  it('answers optout for optout@example.com', async () => {
    const { statusCode, json } = await operator.call('/v2/token/generate', { email: 'optout@example.com' });
    expect(statusCode).toBe(200);
    expect(json).toEqual({ status: 'optout' });
  });

  it('answers 400 with the exact message when no DII is given', async () => {
    const { statusCode, json } = await operator.call('/v2/token/generate', {});
    expect(statusCode).toBe(400);
    expect(json).toEqual({
      status: 'client_error',
      message: 'Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified',
    });
  });

  it('answers 401 unauthorized for a client without GENERATOR', async () => {
    const { statusCode, response } = await operator.call(
      '/v2/token/generate',
      { email: 'user@example.com' },
      { client: operator.fixture.clients.mapper },
    );
    expect(statusCode).toBe(401);
    expect(response.body).toBe('{"status":"unauthorized"}');
  });
});
