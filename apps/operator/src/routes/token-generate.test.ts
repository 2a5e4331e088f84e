import { diiHashOf } from '@uid2-operator/dii-normalize';
import { decodeAdvertisingToken } from '@uid2-operator/token-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';

const MISSING_DII =
  'Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified';
const T0 = 1_767_225_600_000;

const hashOf = (type: 'email' | 'phone', dii: string, encoding: 'base64' | 'hex' = 'base64') =>
  diiHashOf(type, 'raw', dii)?.toString(encoding) ?? '';

interface Answer {
  status: string;
  message?: string;
  body?: Record<string, unknown>;
}

describe('POST /v2/token/generate', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await createTestOperator({ now: () => T0 });
  });
  afterAll(async () => operator.close());

  async function generate(payload: Record<string, unknown> | undefined) {
    const { statusCode, json } = await operator.call('/v2/token/generate', payload);
    return { statusCode, answer: json as Answer };
  }

  function rawUidOf(answer: Answer): Buffer {
    return decodeAdvertisingToken(String(answer.body?.advertising_token), operator.state.snapshot.keyRing)
      .rawUid;
  }

  it('issues a V4 advertising token, a 388-character refresh token and the lifetimes for an email', async () => {
    const { statusCode, answer } = await generate({ email: 'user@example.com' });
    expect(statusCode).toBe(200);
    expect(answer.status).toBe('success');
    const body = answer.body ?? {};
    expect(String(body.advertising_token).startsWith('A4')).toBe(true);
    expect(body.refresh_token).toHaveLength(388);
    expect(Buffer.from(String(body.refresh_response_key), 'base64')).toHaveLength(32);
    expect([body.identity_expires, body.refresh_expires, body.refresh_from]).toEqual([
      T0 + 3_600_000,
      T0 + 86_400_000,
      T0 + 900_000,
    ]);
    const decoded = decodeAdvertisingToken(String(body.advertising_token), operator.state.snapshot.keyRing);
    expect([decoded.siteId, decoded.privacyBits, decoded.establishedMs, decoded.identityType]).toEqual([
      999,
      1,
      T0,
      'email',
    ]);
  });

  it('gives the same raw UID for an email, its base64 hash and its hex hash', async () => {
    const raw = rawUidOf((await generate({ email: ' User@Example.com ' })).answer);
    expect(
      rawUidOf((await generate({ email_hash: hashOf('email', 'user@example.com') })).answer).equals(raw),
    ).toBe(true);
    expect(
      rawUidOf((await generate({ email_hash: hashOf('email', 'user@example.com', 'hex') })).answer).equals(
        raw,
      ),
    ).toBe(true);
  });

  it('gives phone tokens (B4…) and the same raw UID for a phone and its hashes', async () => {
    const { answer } = await generate({ phone: '+15555550100' });
    expect(String(answer.body?.advertising_token).startsWith('B4')).toBe(true);
    const raw = rawUidOf(answer);
    expect(
      rawUidOf((await generate({ phone_hash: hashOf('phone', '+15555550100') })).answer).equals(raw),
    ).toBe(true);
    expect(
      rawUidOf((await generate({ phone_hash: hashOf('phone', '+15555550100', 'hex') })).answer).equals(raw),
    ).toBe(true);
  });

  it('ignores the removed optout_check and policy fields and keys whose value is null', async () => {
    expect((await generate({ email: 'user@example.com', optout_check: 1, policy: 1 })).answer.status).toBe(
      'success',
    );
    expect((await generate({ email: null, phone: '+15555550100' })).answer.status).toBe('success');
  });

  describe('test identities (raw and hashed forms behave the same)', () => {
    const cases = [
      { type: 'email', dii: 'optout@example.com', expected: 'optout' },
      { type: 'phone', dii: '+00000000000', expected: 'optout' },
      { type: 'email', dii: 'refresh-optout@example.com', expected: 'success' },
      { type: 'phone', dii: '+00000000002', expected: 'success' },
      { type: 'email', dii: 'validate@example.com', expected: 'success' },
      { type: 'phone', dii: '+12345678901', expected: 'success' },
    ] as const;
    for (const { type, dii, expected } of cases) {
      it(`answers ${expected} for ${dii} in every form`, async () => {
        for (const payload of [
          { [type]: dii },
          { [`${type}_hash`]: hashOf(type, dii) },
          { [`${type}_hash`]: hashOf(type, dii, 'hex') },
        ]) {
          const { statusCode, answer } = await generate(payload);
          expect(statusCode).toBe(200);
          expect(expected === 'optout' ? answer : answer.status).toEqual(
            expected === 'optout' ? { status: 'optout' } : 'success',
          );
        }
      });
    }

    it('never opts out validate@example.com, even with a stored opt-out record', async () => {
      await operator.call(
        '/v2/token/logout',
        { email: 'validate@example.com' },
        { client: operator.fixture.clients.optout },
      );
      expect((await generate({ email: 'validate@example.com' })).answer.status).toBe('success');
    });
  });

  it('answers optout for an identity with a stored opt-out', async () => {
    await operator.call(
      '/v2/token/logout',
      { phone: '+15555550111' },
      { client: operator.fixture.clients.optout },
    );
    expect((await generate({ phone_hash: hashOf('phone', '+15555550111') })).answer).toEqual({
      status: 'optout',
    });
  });

  it('answers the missing-DII 400 for no DII, two DIIs and an envelope without JSON', async () => {
    for (const payload of [
      {},
      { email: 'a@b.com', email_hash: hashOf('email', 'a@b.com') },
      { email: 'a@b.com', phone: '+15555550100' },
      undefined,
    ]) {
      const { statusCode, answer } = await generate(payload);
      expect(statusCode).toBe(400);
      expect(answer).toEqual({ status: 'client_error', message: MISSING_DII });
    }
  });

  it('answers "Invalid Identifier" for a DII that does not normalize', async () => {
    for (const payload of [
      { email: 'not-an-email' },
      { email: 'a@b@c.com' },
      { phone: '5555550100' },
      { phone: '+1 555 555 0100' },
      { email_hash: 'tooShort' },
      { phone_hash: 'z'.repeat(64) },
      { email: 12 },
    ]) {
      const { statusCode, answer } = await generate(payload);
      expect(statusCode).toBe(400);
      expect(answer).toEqual({ status: 'client_error', message: 'Invalid Identifier' });
    }
  });

  it('answers with raw bytes as application/octet-stream to a binary request', async () => {
    const { statusCode, json, response } = await operator.call(
      '/v2/token/generate',
      { email: 'user@example.com' },
      { binary: true },
    );
    expect(statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect((json as Answer).status).toBe('success');
  });

  it('answers 401 unauthorized without a key, with an unknown or disabled key, or without GENERATOR', async () => {
    const { clients } = operator.fixture;
    for (const client of [clients.mapper, clients.disabled, { ...clients.all, key: `${clients.all.key}x` }]) {
      const { statusCode, response } = await operator.call(
        '/v2/token/generate',
        { email: 'user@example.com' },
        { client },
      );
      expect(statusCode).toBe(401);
      expect(response.body).toBe('{"status":"unauthorized"}');
    }
    const anonymous = await operator.app.inject({
      method: 'POST',
      url: '/v2/token/generate',
      payload: 'AQ==',
    });
    expect([anonymous.statusCode, anonymous.body]).toEqual([401, '{"status":"unauthorized"}']);
  });

  it('never writes the DII into the log', async () => {
    await generate({ email: 'very.private.person@example.com' });
    await generate({ email: 'very.private.person@' });
    expect(operator.logs.join('\n')).not.toContain('very.private.person');
  });
});
