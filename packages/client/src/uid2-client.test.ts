import { sealRefreshResponse, sealResponseEnvelope } from '@uid2-operator/crypto-envelope';
import { describe, expect, it } from 'vitest';
import { TEST_SECRET_BASE64, countingRandom, fakeOperator } from './test-support/fake-operator.js';
import type { FakeOperatorOptions } from './test-support/fake-operator.js';
import { Uid2Client } from './uid2-client.js';
import { Uid2ClientError } from './uid2-client-error.js';

const secret = Buffer.from(TEST_SECRET_BASE64, 'base64');
const NOW = 1_767_225_600_000;
const identityWire = {
  advertising_token: 'A4AAAAB-token',
  refresh_token: 'R'.repeat(388),
  identity_expires: NOW + 3_600_000,
  refresh_expires: NOW + 86_400_000,
  refresh_from: NOW + 900_000,
  refresh_response_key: Buffer.alloc(32, 7).toString('base64'),
};

function client(routes: Omit<FakeOperatorOptions, 'secret'>, extra: { binary?: boolean } = {}) {
  const operator = fakeOperator({ secret, nowMs: NOW, ...routes });
  const uid2 = new Uid2Client({
    baseUrl: 'http://operator.test',
    apiKey: 'UID2-C-L-999-abcdef.key',
    secret: TEST_SECRET_BASE64,
    fetch: operator.fetch,
    now: () => NOW,
    random: countingRandom(),
    sleep: () => Promise.resolve(),
    ...extra,
  });
  return { uid2, calls: operator.calls };
}

async function rejection(promise: Promise<unknown>): Promise<Uid2ClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Uid2ClientError);
  return error as Uid2ClientError;
}

describe('Uid2Client token endpoints', () => {
  it('generates a token from an email, sending the key, content type and client version', async () => {
    const { uid2, calls } = client({
      encrypted: { '/v2/token/generate': () => ({ sealed: { body: identityWire, status: 'success' } }) },
    });
    const result = await uid2.generateToken({ email: 'user@example.com' });
    expect(result).toEqual({
      status: 'success',
      identity: {
        advertisingToken: 'A4AAAAB-token',
        refreshToken: 'R'.repeat(388),
        identityExpiresMs: NOW + 3_600_000,
        refreshExpiresMs: NOW + 86_400_000,
        refreshFromMs: NOW + 900_000,
        refreshResponseKey: identityWire.refresh_response_key,
      },
    });
    expect(calls[0]?.payload).toEqual({ email: 'user@example.com' });
    expect(calls[0]?.headers).toMatchObject({
      authorization: 'Bearer UID2-C-L-999-abcdef.key',
      'content-type': 'text/plain',
      'x-uid2-client-version': 'uid2-client-typescript-0.1.0',
    });
  });

  it('passes the TCF consent string and reports optout and insufficient consent', async () => {
    const answers = [{ status: 'optout' }, { status: 'insufficient_user_consent' }];
    const { uid2, calls } = client({
      encrypted: { '/v2/token/generate': () => ({ sealed: answers.shift() }) },
    });
    expect(await uid2.generateToken({ phoneHash: 'h' }, { tcfConsentString: 'CP' })).toEqual({
      status: 'optout',
    });
    expect(await uid2.generateToken({ emailHash: 'h' })).toEqual({ status: 'insufficient_user_consent' });
    expect(calls[0]?.payload).toEqual({ phone_hash: 'h', tcf_consent_string: 'CP' });
  });

  it('refuses a DII input that is not exactly one identifier', async () => {
    const { uid2 } = client({});
    await expect(uid2.generateToken({} as never)).rejects.toThrow(TypeError);
    await expect(uid2.generateToken({ email: 'a', phone: 'b' } as never)).rejects.toThrow(TypeError);
    await expect(uid2.generateToken({ email: 1 } as never)).rejects.toThrow(TypeError);
  });

  it('turns a 400 answer into a typed error without retrying', async () => {
    const { uid2, calls } = client({
      encrypted: {
        '/v2/token/generate': () => ({
          status: 400,
          contentType: 'application/json',
          body: '{"status":"client_error","message":"Invalid Identifier"}',
        }),
      },
    });
    const error = await rejection(uid2.generateToken({ email: 'not-an-email' }));
    expect(error).toMatchObject({ code: 'ERR_BAD_REQUEST', httpStatus: 400, uid2Status: 'client_error' });
    expect(error.message).not.toContain('not-an-email');
    expect(calls).toHaveLength(1);
  });

  it('rejects an unexpected success status and a malformed body', async () => {
    const answers = [{ status: 'weird' }, { status: 'success', body: { advertising_token: 1 } }, 'not json'];
    const { uid2 } = client({ encrypted: { '/v2/token/generate': () => ({ sealed: answers.shift() }) } });
    expect((await rejection(uid2.generateToken({ email: 'a@b.c' }))).code).toBe('ERR_UNEXPECTED_STATUS');
    expect((await rejection(uid2.generateToken({ email: 'a@b.c' }))).code).toBe('ERR_RESPONSE_FORMAT');
    expect((await rejection(uid2.generateToken({ email: 'a@b.c' }))).code).toBe('ERR_RESPONSE_FORMAT');
  });

  it('sends and receives raw envelope bytes in binary mode', async () => {
    const { uid2, calls } = client(
      { encrypted: { '/v2/token/validate': () => ({ sealed: { body: true, status: 'success' } }) } },
      { binary: true },
    );
    expect(await uid2.validateToken('A4token', { email: 'validate@example.com' })).toBe(true);
    expect(calls[0]?.headers['content-type']).toBe('application/octet-stream');
    expect(calls[0]?.body).toBeInstanceOf(Uint8Array);
    expect(calls[0]?.payload).toEqual({ token: 'A4token', email: 'validate@example.com' });
  });

  it('refuses a response that echoes another nonce or cannot be decrypted', async () => {
    const wrongNonce = sealResponseEnvelope({
      secret,
      nowMs: NOW,
      nonce: Buffer.alloc(8, 9),
      json: '{"status":"optout"}',
      iv: Buffer.alloc(12),
    });
    const otherKey = sealResponseEnvelope({
      secret: Buffer.alloc(32),
      nowMs: NOW,
      nonce: Buffer.alloc(8),
      json: '{}',
      iv: Buffer.alloc(12),
    });
    const bodies = [wrongNonce.toString('base64'), otherKey.toString('base64'), 'not base64!'];
    const uid2 = new Uid2Client({
      baseUrl: 'http://operator.test',
      apiKey: 'k',
      secret,
      fetch: () =>
        Promise.resolve(
          new Response(bodies.shift(), { status: 200, headers: { 'content-type': 'text/plain' } }),
        ),
    });
    expect((await rejection(uid2.generateToken({ email: 'a@b.c' }))).code).toBe('ERR_NONCE_MISMATCH');
    expect((await rejection(uid2.generateToken({ email: 'a@b.c' }))).code).toBe('ERR_RESPONSE_DECRYPT');
    expect((await rejection(uid2.generateToken({ email: 'a@b.c' }))).code).toBe('ERR_RESPONSE_DECRYPT');
  });

  it('validates a token and records a logout', async () => {
    const { uid2, calls } = client({
      encrypted: {
        '/v2/token/validate': () => ({ sealed: { body: false, status: 'success' } }),
        '/v2/token/logout': () => ({ sealed: { body: { optout: 'OK' }, status: 'success' } }),
      },
    });
    expect(await uid2.validateToken('tok', { phone: '+12345678901' })).toBe(false);
    await uid2.logout({ email: 'user@example.com' }, { clientIp: '10.0.0.1' });
    expect(calls[1]?.payload).toEqual({ email: 'user@example.com', clientIp: '10.0.0.1' });
  });

  it('refreshes with the refresh response key and reads optout and legacy JSON answers', async () => {
    const key = Buffer.alloc(32, 3);
    const answers = [
      sealRefreshResponse(
        key,
        JSON.stringify({ body: identityWire, status: 'success' }),
        Buffer.alloc(12, 1),
      ).toString('base64'),
      sealRefreshResponse(key, '{"status":"optout"}', Buffer.alloc(12, 2)).toString('base64'),
    ];
    const { uid2, calls } = client({
      plain: {
        '/v2/token/refresh': () =>
          answers.length > 0
            ? { status: 200, contentType: 'text/plain', body: answers.shift() }
            : {
                status: 200,
                contentType: 'application/json',
                body: JSON.stringify({ body: identityWire, status: 'success' }),
              },
      },
    });
    const tokens = { refreshToken: 'T'.repeat(388), refreshResponseKey: key.toString('base64') };
    const refreshed = await uid2.refreshToken(tokens);
    expect(refreshed.status === 'success' && refreshed.identity.advertisingToken).toBe('A4AAAAB-token');
    expect(calls[0]?.body).toBe('T'.repeat(388));
    expect(calls[0]?.headers['authorization']).toBe('Bearer UID2-C-L-999-abcdef.key');
    expect(await uid2.refreshToken(tokens)).toEqual({ status: 'optout' });
    expect((await uid2.refreshToken({ ...tokens, refreshToken: 'legacy' })).status).toBe('success');
  });

  it('reports an expired refresh token and a wrong response key', async () => {
    const answers = [
      {
        status: 400,
        contentType: 'application/json',
        body: '{"status":"expired_token","message":"Expired Token presented"}',
      },
      {
        status: 200,
        contentType: 'text/plain',
        body: sealRefreshResponse(Buffer.alloc(32, 1), '{}', Buffer.alloc(12)).toString('base64'),
      },
    ];
    const uid2 = new Uid2Client({
      baseUrl: 'http://operator.test',
      fetch: fakeOperator({ secret, plain: { '/v2/token/refresh': () => answers.shift()! } }).fetch,
    });
    const tokens = {
      refreshToken: 'T'.repeat(388),
      refreshResponseKey: Buffer.alloc(32, 2).toString('base64'),
    };
    expect(await rejection(uid2.refreshToken(tokens))).toMatchObject({
      code: 'ERR_BAD_REQUEST',
      uid2Status: 'expired_token',
    });
    expect((await rejection(uid2.refreshToken(tokens))).code).toBe('ERR_RESPONSE_DECRYPT');
    await expect(uid2.refreshToken({ ...tokens, refreshResponseKey: 'short' })).rejects.toThrow(TypeError);
  });

  it('needs an API key and secret for encrypted endpoints only', async () => {
    const uid2 = new Uid2Client({
      baseUrl: 'http://operator.test',
      fetch: () => Promise.reject(new Error('unused')),
    });
    await expect(uid2.generateToken({ email: 'a@b.c' })).rejects.toThrow(
      '/v2/token/generate needs apiKey and secret',
    );
    expect(() => new Uid2Client({ baseUrl: 'x', apiKey: 'k' })).toThrow(TypeError);
    expect(() => new Uid2Client({ baseUrl: 'x', apiKey: 'k', secret: 'c2hvcnQ=' })).toThrow(TypeError);
  });
});
