import {
  createCstgServerKey,
  openCstgRequest,
  parsePrefixedKey,
  sealCstgResponse,
} from '@uid2-operator/crypto-envelope';
import { describe, expect, it } from 'vitest';
import { TEST_SECRET_BASE64, countingRandom, fakeOperator } from './test-support/fake-operator.js';
import type { FakeOperatorOptions } from './test-support/fake-operator.js';
import { createClientSideTokenRequest } from './client-side-token.js';
import { toSdkIdentity } from './to-sdk-identity.js';
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

describe('Uid2Client client-side generation', () => {
  const serverPrivate =
    'UID2-Y-L-MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCC5kOSRVD+qhAZqf0L4LGbmAhdy5HpIptwXE72jxhwo6w==';
  const serverPublic =
    'UID2-X-L-MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtXJdTSZAYHvoRDWiehMHoWF1BNPuqLs5w2ZHiAZ1IJc7O4/z0ojPTB0V+KYX/wxQK0hxx6kxCvHj335eI/ZQsQ==';

  it('builds an ECDH request the operator can open and decrypts its answer', async () => {
    const serverKey = createCstgServerKey(parsePrefixedKey(serverPrivate).der);
    let seen: unknown;
    const { uid2, calls } = client({
      plain: {
        '/v2/token/client-generate': (_payload, call) => {
          const body = JSON.parse(call.body as string) as {
            public_key: string;
            iv: string;
            payload: string;
            timestamp: number;
            app_name?: string;
            subscription_id: string;
          };
          const opened = openCstgRequest(serverKey, {
            publicKey: body.public_key,
            iv: body.iv,
            payload: body.payload,
            timestamp: body.timestamp,
            appName: body.app_name,
          });
          seen = { payload: opened.payload, subscription: body.subscription_id, timestamp: body.timestamp };
          const sealed = sealCstgResponse(
            opened.sharedSecret,
            JSON.stringify({ body: identityWire, status: 'success' }),
            Buffer.alloc(12, 5),
          );
          return { status: 200, body: sealed.toString('base64') };
        },
      },
    });
    const result = await uid2.clientSideGenerateToken({
      serverPublicKey: serverPublic,
      subscriptionId: '4WvryDGbR5',
      identity: { emailHash: 'lz3+Rj7IV4X1+Vr1ujkG7tstkxwk5pgkqJ6mXbpOgTs=' },
      origin: 'https://www.uidapi.com',
    });
    expect(result.status).toBe('success');
    expect(seen).toEqual({
      payload: { email_hash: 'lz3+Rj7IV4X1+Vr1ujkG7tstkxwk5pgkqJ6mXbpOgTs=' },
      subscription: '4WvryDGbR5',
      timestamp: NOW,
    });
    expect(calls[0]?.headers['origin']).toBe('https://www.uidapi.com');
    expect(calls[0]?.headers['authorization']).toBeUndefined();
  });

  it('reports a refused origin as ERR_FORBIDDEN', async () => {
    const { uid2 } = client({
      plain: {
        '/v2/token/client-generate': () => ({
          status: 403,
          contentType: 'application/json',
          body: '{"status":"invalid_http_origin","message":"unexpected http origin"}',
        }),
      },
    });
    const error = await rejection(
      uid2.clientSideGenerateToken({
        serverPublicKey: serverPublic,
        subscriptionId: 's',
        identity: { phoneHash: 'h' },
        appName: 'com.x',
      }),
    );
    expect(error).toMatchObject({ code: 'ERR_FORBIDDEN', uid2Status: 'invalid_http_origin' });
  });
});

describe('createClientSideTokenRequest', () => {
  const serverPublic =
    'UID2-X-L-MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtXJdTSZAYHvoRDWiehMHoWF1BNPuqLs5w2ZHiAZ1IJc7O4/z0ojPTB0V+KYX/wxQK0hxx6kxCvHj335eI/ZQsQ==';
  const base = {
    subscriptionId: 's',
    identity: { phoneHash: 'h' },
    timestampMs: null,
    clientPrivateKey: Buffer.alloc(32, 1),
    iv: Buffer.alloc(12, 2),
  };

  it('accepts the key with or without its UID2-X- prefix and omits an absent timestamp', () => {
    const prefixed = createClientSideTokenRequest({ ...base, serverPublicKey: serverPublic });
    const bare = createClientSideTokenRequest({ ...base, serverPublicKey: serverPublic.slice(9) });
    expect(bare).toEqual(prefixed);
    expect(JSON.parse(prefixed.body)).not.toHaveProperty('timestamp');
  });

  it('refuses a server key that is not P-256 and a private scalar outside the curve order', () => {
    expect(() => createClientSideTokenRequest({ ...base, serverPublicKey: 'UID2-X-L-AAAA' })).toThrow(
      TypeError,
    );
    expect(() => createClientSideTokenRequest({ ...base, serverPublicKey: 'not base64!' })).toThrow(
      TypeError,
    );
    expect(() =>
      createClientSideTokenRequest({
        ...base,
        serverPublicKey: serverPublic,
        clientPrivateKey: Buffer.alloc(32, 0xff),
      }),
    ).toThrow(TypeError);
  });
});

describe('toSdkIdentity', () => {
  it('gives the snake_case identity the browser SDK takes', () => {
    const identity = {
      advertisingToken: 'a',
      refreshToken: 'r',
      identityExpiresMs: 1,
      refreshExpiresMs: 2,
      refreshFromMs: 3,
      refreshResponseKey: 'k',
    };
    expect(toSdkIdentity(identity)).toEqual({
      advertising_token: 'a',
      refresh_token: 'r',
      identity_expires: 1,
      refresh_expires: 2,
      refresh_from: 3,
      refresh_response_key: 'k',
    });
  });
});
