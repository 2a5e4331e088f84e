import { diiHashOf } from '@uid2-operator/dii-normalize';
import { decodeAdvertisingToken } from '@uid2-operator/token-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { generateTokens } from '../test-support/token-helpers.js';

const T0 = 1_767_225_600_456;

describe('POST /v2/token/logout', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await createTestOperator({ now: () => T0 });
  });
  afterAll(async () => operator.close());

  async function logout(payload: Record<string, unknown> | undefined) {
    return operator.call('/v2/token/logout', payload, { client: operator.fixture.clients.optout });
  }

  it('records the opt-out before answering, so generate then answers optout and the raw UID is listed', async () => {
    const before = await generateTokens(operator, { email: 'Leaving.User@example.com' });
    const rawUid = decodeAdvertisingToken(before.advertising_token, operator.state.snapshot.keyRing).rawUid;
    const stored = operator.source.optOuts.length;

    const { statusCode, json } = await logout({ email: 'leaving.user@example.com', clientIp: '10.0.0.1' });
    expect(statusCode).toBe(200);
    expect(json).toEqual({ status: 'success', body: { optout: 'OK' } });

    expect(operator.source.optOuts).toHaveLength(stored + 1);
    const record = operator.source.optOuts.at(-1);
    expect(record?.scope).toBe('UID2');
    expect(record?.type).toBe('email');
    expect(record?.optedOutAtSeconds).toBe(Math.floor(T0 / 1000));
    expect(Buffer.from(record?.advertisingId ?? []).equals(rawUid)).toBe(true);
    expect(operator.state.policy.advertisingIdOptedOutSince(rawUid)).toBe(Math.floor(T0 / 1000));
    expect((await operator.call('/v2/token/generate', { email: 'leaving.user@example.com' })).json).toEqual({
      status: 'optout',
    });
  });

  it('accepts every DII form, and the hashed forms opt out the same identity', async () => {
    const phoneHash = diiHashOf('phone', 'raw', '+15555550199')?.toString('base64');
    expect((await logout({ phone_hash: phoneHash })).statusCode).toBe(200);
    expect((await operator.call('/v2/token/generate', { phone: '+15555550199' })).json).toEqual({
      status: 'optout',
    });

    const emailHex = diiHashOf('email', 'raw', 'hex.user@example.com')?.toString('hex');
    expect((await logout({ email_hash: emailHex })).statusCode).toBe(200);
    expect((await operator.call('/v2/token/generate', { email: 'hex.user@example.com' })).json).toEqual({
      status: 'optout',
    });

    expect((await logout({ phone: '+15555550198' })).statusCode).toBe(200);
    expect((await operator.call('/v2/token/generate', { phone: '+15555550198' })).json).toEqual({
      status: 'optout',
    });
  });

  it('answers invalid_token "Invalid Token presented null" for a missing or ambiguous DII or no payload', async () => {
    for (const payload of [{}, { email: 'a@b.com', phone: '+15555550100' }, undefined]) {
      const { statusCode, json } = await logout(payload);
      expect(statusCode).toBe(400);
      expect(json).toEqual({ status: 'invalid_token', message: 'Invalid Token presented null' });
    }
  });

  it('answers invalid_token for a DII that does not normalize', async () => {
    for (const payload of [
      { email: 'not-an-email' },
      { phone: '555-0100' },
      { email_hash: 'short' },
      { email: 42 },
    ]) {
      const { statusCode, json } = await logout(payload);
      expect(statusCode).toBe(400);
      expect(json).toEqual({
        status: 'invalid_token',
        message: 'Invalid Token presented invalid identifier',
      });
    }
  });

  it('answers 401 to a client without the OPTOUT role', async () => {
    const { statusCode, response } = await operator.call(
      '/v2/token/logout',
      { email: 'a@b.com' },
      { client: operator.fixture.clients.generator },
    );
    expect(statusCode).toBe(401);
    expect(response.body).toBe('{"status":"unauthorized"}');
  });

  it('answers the plain 500 and records nothing when the store is unreachable', async () => {
    const stored = operator.source.optOuts.length;
    const indexed = operator.state.optOuts.size;
    operator.source.failing = true;
    try {
      const { statusCode, response } = await logout({ email: 'unlucky@example.com' });
      expect(statusCode).toBe(500);
      expect(response.body).toBe('Internal Server Error');
    } finally {
      operator.source.failing = false;
    }
    expect(operator.source.optOuts).toHaveLength(stored);
    expect(operator.state.optOuts.size).toBe(indexed);
    const { json } = await operator.call('/v2/token/generate', { email: 'unlucky@example.com' });
    expect((json as { status: string }).status).toBe('success');
  });

  it('never writes the DII into the log', async () => {
    await logout({ email: 'secret.person@example.com' });
    operator.source.failing = true;
    try {
      await logout({ email: 'secret.person@example.com' });
    } finally {
      operator.source.failing = false;
    }
    expect(operator.logs.join('\n')).not.toContain('secret.person');
  });
});
