import { diiHashOf } from '@uid2-operator/dii-normalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient, patchTables, type TestClient } from '../test-support/fixture.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { generateTokens } from '../test-support/token-helpers.js';

const T0 = 1_767_225_600_000;
const MISSING_DII =
  'Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified';

describe('POST /v2/token/validate', () => {
  let operator: TestOperator;
  let clock = T0;
  let noKeysetClient: TestClient;
  let token: string;
  beforeAll(async () => {
    noKeysetClient = createTestClient(555, 'site without keyset', ['GENERATOR']);
    operator = await createTestOperator({
      now: () => clock,
      prepare: (fixture) =>
        patchTables(fixture, { apiKeys: [...fixture.tables.apiKeys, noKeysetClient.record] }),
    });
    token = (await generateTokens(operator, { email: 'validate@example.com' })).advertising_token;
  });
  afterAll(async () => operator.close());

  async function validate(payload: Record<string, unknown> | undefined, client?: TestClient) {
    return operator.call('/v2/token/validate', payload, client === undefined ? {} : { client });
  }

  it('answers true when the DII maps to the raw UID inside the token', async () => {
    const { statusCode, json } = await validate({ token, email: 'validate@example.com' });
    expect(statusCode).toBe(200);
    expect(json).toEqual({ status: 'success', body: true });
  });

  it('answers true for the hashed form of the same email (base64 and hex)', async () => {
    const hash = diiHashOf('email', 'raw', 'validate@example.com');
    expect((await validate({ token, email_hash: hash?.toString('base64') })).json).toEqual({
      status: 'success',
      body: true,
    });
    expect((await validate({ token, email_hash: hash?.toString('hex') })).json).toEqual({
      status: 'success',
      body: true,
    });
  });

  it('answers false for another DII, which need not be a test identity', async () => {
    expect((await validate({ token, email: 'someone.else@example.com' })).json).toEqual({
      status: 'success',
      body: false,
    });
    const phoneToken = (await generateTokens(operator, { phone: '+15555550123' })).advertising_token;
    expect((await validate({ token: phoneToken, phone: '+15555550123' })).json).toEqual({
      status: 'success',
      body: true,
    });
    expect((await validate({ token: phoneToken, phone: '+15555550124' })).json).toEqual({
      status: 'success',
      body: false,
    });
  });

  it('checks neither expiry nor opt-out', async () => {
    const leaving = (await generateTokens(operator, { email: 'leaving@example.com' })).advertising_token;
    await operator.call(
      '/v2/token/logout',
      { email: 'leaving@example.com' },
      { client: operator.fixture.clients.optout },
    );
    clock = T0 + 48 * 3_600_000;
    try {
      expect((await validate({ token: leaving, email: 'leaving@example.com' })).json).toEqual({
        status: 'success',
        body: true,
      });
    } finally {
      clock = T0;
    }
  });

  it('refuses a token of another site with "Unauthorised to validate token"', async () => {
    const { statusCode, json } = await validate(
      { token, email: 'validate@example.com' },
      operator.fixture.clients.other,
    );
    expect(statusCode).toBe(400);
    expect(json).toEqual({ status: 'client_error', message: 'Unauthorised to validate token' });
  });

  it('refuses a token minted with the fallback site-2 key, even to the site that generated it', async () => {
    const fallback = (await generateTokens(operator, { email: 'validate@example.com' }, noKeysetClient))
      .advertising_token;
    const { statusCode, json } = await validate(
      { token: fallback, email: 'validate@example.com' },
      noKeysetClient,
    );
    expect(statusCode).toBe(400);
    expect(json).toEqual({ status: 'client_error', message: 'Unauthorised to validate token' });
  });

  it('answers "Invalid token" for a missing, non-string or undecodable token', async () => {
    for (const value of [undefined, null, 'garbage-token', token.slice(0, 40)]) {
      const { statusCode, json } = await validate({ token: value, email: 'validate@example.com' });
      expect(statusCode).toBe(400);
      expect(json).toEqual({ status: 'client_error', message: 'Invalid token' });
    }
  });

  it('checks the DII before the token', async () => {
    expect((await validate({ token: 'garbage' })).json).toEqual({
      status: 'client_error',
      message: MISSING_DII,
    });
    expect((await validate({ token: 'garbage', email: 'not an email' })).json).toEqual({
      status: 'client_error',
      message: 'Invalid Identifier',
    });
  });

  it('answers the missing-DII 400 for two DIIs and for an envelope without JSON', async () => {
    expect((await validate({ token, email: 'a@b.com', phone: '+15555550123' })).json).toEqual({
      status: 'client_error',
      message: MISSING_DII,
    });
    const { statusCode, json } = await validate(undefined);
    expect(statusCode).toBe(400);
    expect(json).toEqual({ status: 'client_error', message: MISSING_DII });
  });

  it('answers 401 to a client without GENERATOR', async () => {
    const { statusCode, response } = await validate(
      { token, email: 'validate@example.com' },
      operator.fixture.clients.mapper,
    );
    expect(statusCode).toBe(401);
    expect(response.body).toBe('{"status":"unauthorized"}');
  });

  it('allows Authorization in its CORS preflight', async () => {
    const response = await operator.app.inject({
      method: 'OPTIONS',
      url: '/v2/token/validate',
      headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-headers']).toContain('Authorization');
  });
});

describe('POST /v2/token/validate with phone support disabled', () => {
  it('names only email and email_hash in the missing-DII message', async () => {
    const operator = await createTestOperator({ config: { phoneSupport: false } });
    try {
      const { statusCode, json } = await operator.call('/v2/token/validate', {
        token: 'x',
        phone: '+15555550123',
      });
      expect(statusCode).toBe(400);
      expect(json).toEqual({
        status: 'client_error',
        message: 'Required Parameter Missing: exactly one of email or email_hash must be specified',
      });
    } finally {
      await operator.close();
    }
  });
});

describe('POST /v2/token/validate on an unexpected failure', () => {
  it('answers the plain 500 Internal Server Error', async () => {
    const source = await createTestOperator({ now: () => T0 });
    const token = (await generateTokens(source, { email: 'validate@example.com' })).advertising_token;
    await source.close();
    const broken = await createTestOperator({
      now: () => T0,
      prepare: (fixture) => {
        patchTables(fixture, { keys: source.fixture.tables.keys });
        fixture.buckets.length = 0;
      },
    });
    try {
      const { statusCode, response } = await broken.call('/v2/token/validate', {
        token,
        email: 'validate@example.com',
      });
      expect(statusCode).toBe(500);
      expect(response.body).toBe('Internal Server Error');
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
    } finally {
      await broken.close();
    }
  });
});
