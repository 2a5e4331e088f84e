import { describe, expect, it } from 'vitest';
import { createClientSideTokenRequest } from './client-side-token.js';
import type { FetchLike } from './internal/http-transport.js';
import {
  type Vector,
  type VectorRecord,
  answering,
  fixedRandom,
  loadVectors,
  pick,
} from './test-support/vectors.js';
import type { IdentityTokens } from './types.js';
import { Uid2Client } from './uid2-client.js';
import { Uid2ClientError } from './uid2-client-error.js';

// Every vector of test-vectors/ that describes the client side of the wire. The other kinds are
// the operator's side (how it rejects requests, how it encodes refresh tokens) and are listed so
// that a new kind cannot go unnoticed.
const SERVER_SIDE_KINDS = new Set([
  'request-envelope-error',
  'request-envelope-accepted',
  'inner-refresh-token',
  'refresh-token-wrapper',
  'wrapper-structure',
  'refresh-request-error',
  'cstg-error',
]);

const envelope = loadVectors('envelope.json');
const refresh = loadVectors('refresh-token.json');
const cstg = loadVectors('client-side-generate.json');

function identityOf(wire: Record<string, string | number>): Partial<IdentityTokens> {
  const identity: Record<string, string | number | undefined> = {
    advertisingToken: wire['advertising_token'],
    refreshToken: wire['refresh_token'],
    identityExpiresMs: wire['identity_expires'],
    refreshExpiresMs: wire['refresh_expires'],
    refreshFromMs: wire['refresh_from'],
    refreshResponseKey: wire['refresh_response_key'],
  };
  return Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined));
}

function clientFor(
  input: VectorRecord,
  fetch: FetchLike,
  nonceHex: string,
  ivHex = '00'.repeat(12),
  binary = false,
) {
  return new Uid2Client({
    baseUrl: 'http://operator.test',
    apiKey: 'key',
    secret: pick<string>(input, 'clientSecretBase64'),
    fetch,
    now: () => pick<number | undefined>(input, 'timestampMs') ?? 0,
    random: fixedRandom(nonceHex, ivHex),
    retries: 0,
    binary,
  });
}

describe('test vectors: envelope.json', () => {
  it('covers every kind', () => {
    const kinds = new Set(envelope.map((v) => v.kind));
    for (const kind of kinds) {
      expect(
        [
          'request-envelope',
          'response-envelope',
          'response-envelope-decode-only',
          'response-envelope-client-error',
        ].includes(kind!) || SERVER_SIDE_KINDS.has(kind!),
      ).toBe(true);
    }
  });

  describe.each(envelope.filter((v) => v.kind === 'request-envelope'))(
    'request envelope: $title',
    (vector: Vector) => {
      const { input, expected } = vector;
      const payload =
        pick<string>(input, 'payloadJson') === '' ? undefined : pick<string>(input, 'payloadJson');

      it('seals the request byte for byte (text)', async () => {
        const { fetch, sent } = answering('');
        const client = clientFor(input, fetch, pick<string>(input, 'nonceHex'), pick<string>(input, 'ivHex'));
        await expect(client.call('/v2/any', payload)).rejects.toBeInstanceOf(Uid2ClientError);
        expect(sent[0]).toBe(pick<string>(expected, 'envelopeBase64'));
      });

      it('seals the request byte for byte (binary)', async () => {
        const { fetch, sent } = answering('');
        const client = clientFor(
          input,
          fetch,
          pick<string>(input, 'nonceHex'),
          pick<string>(input, 'ivHex'),
          true,
        );
        await expect(client.call('/v2/any', payload)).rejects.toBeInstanceOf(Uid2ClientError);
        expect(Buffer.from(sent[0] as Uint8Array).toString('hex')).toBe(
          pick<string>(expected, 'envelopeHex'),
        );
      });
    },
  );

  describe.each(
    envelope.filter((v) => v.kind === 'response-envelope' || v.kind === 'response-envelope-decode-only'),
  )('response envelope: $title', (vector: Vector) => {
    const { input, expected } = vector;
    const nonce = pick<string | undefined>(input, 'nonceHex') ?? pick<string>(input, 'requestNonceHex');
    const body =
      pick<string | undefined>(input, 'responseBase64') ?? pick<string>(expected, 'responseBase64');

    it('opens the response, checks the nonce and reads the JSON', async () => {
      const client = clientFor(input, answering(body).fetch, nonce);
      const json = await client.call('/v2/any', '{}');
      const payloadJson =
        pick<string | undefined>(input, 'payloadJson') ?? pick<string>(expected, 'payloadJson');
      expect(json).toEqual(JSON.parse(payloadJson));
    });

    it('reads the answer as the SDK does', async () => {
      if (pick<unknown>(expected, 'sdkParse') === undefined) return;
      const client = clientFor(input, answering(body).fetch, nonce);
      const result = await client.generateToken({ email: 'user@example.com' });
      const parse = pick<{ status: string; identity?: Record<string, string | number> }>(
        expected,
        'sdkParse',
      );
      expect(result.status).toBe(parse.status);
      if (parse.identity !== undefined && result.status === 'success') {
        expect(result.identity).toMatchObject(identityOf(parse.identity));
      }
    });
  });

  it.each(envelope.filter((v) => v.kind === 'response-envelope-client-error'))(
    'rejects: $title',
    async ({ input, expected }) => {
      const client = clientFor(
        input,
        answering(pick<string>(expected, 'responseBase64')).fetch,
        pick<string>(input, 'requestNonceHex'),
      );
      const error = await client.generateToken({ email: 'user@example.com' }).catch((e: unknown) => e);
      expect(pick<string>(expected, 'sdkError')).toBe('nonce mismatch');
      expect(error).toMatchObject({ code: 'ERR_NONCE_MISMATCH' });
    },
  );
});

describe('test vectors: refresh-token.json', () => {
  it('covers every kind', () => {
    for (const v of refresh)
      expect(v.kind?.startsWith('refresh-response') === true || SERVER_SIDE_KINDS.has(v.kind!)).toBe(true);
  });

  it.each(refresh.filter((v) => v.kind === 'refresh-response' || v.kind === 'refresh-response-decode-only'))(
    'decrypts with the refresh response key: $title',
    async ({ input, expected }) => {
      const body =
        pick<string | undefined>(expected, 'responseBase64') ?? pick<string>(input, 'responseBase64');
      const json = JSON.parse(
        pick<string | undefined>(input, 'responseJson') ?? pick<string>(expected, 'responseJson'),
      ) as { status: string };
      const client = new Uid2Client({
        baseUrl: 'http://operator.test',
        fetch: answering(body).fetch,
        retries: 0,
      });
      const result = await client.refreshToken({
        refreshToken: 'A'.repeat(388),
        refreshResponseKey: pick<string>(input, 'refreshResponseKeyBase64'),
      });
      expect(result.status).toBe(json.status);
      if (result.status === 'success')
        expect(result.identity).toMatchObject(
          identityOf(pick<Record<string, string | number>>(expected, 'refreshedIdentity')),
        );
    },
  );
});

describe('test vectors: client-side-generate.json', () => {
  const requests = cstg.filter((v) => v.kind === 'cstg-request');

  it('covers every kind', () => {
    for (const v of cstg)
      expect(['cstg-request', 'cstg-response'].includes(v.kind!) || SERVER_SIDE_KINDS.has(v.kind!)).toBe(
        true,
      );
  });

  function requestInput(vector: Vector) {
    const { input } = vector;
    const inner = JSON.parse(pick<string>(input, 'plaintextJson')) as {
      email_hash?: string;
      phone_hash?: string;
    };
    return {
      serverPublicKey: pick<string>(input, 'serverKeypair', 'publicKey'),
      subscriptionId: pick<string>(input, 'serverKeypair', 'subscriptionId'),
      identity:
        inner.email_hash !== undefined ? { emailHash: inner.email_hash } : { phoneHash: inner.phone_hash! },
      appName: pick<string | null>(input, 'appName'),
      timestampMs: pick<number | null>(input, 'timestampMs'),
      clientPrivateKey: Buffer.from(pick<string>(input, 'clientKeypair', 'privateScalarHex'), 'hex'),
      iv: Buffer.from(pick<string>(input, 'ivHex'), 'hex'),
    };
  }

  it.each(requests)('builds the JS SDK request byte for byte: $title', (vector) => {
    const request = createClientSideTokenRequest(requestInput(vector));
    expect(request.body).toBe(pick<string>(vector.expected, 'requestBody'));
    expect(request.sharedSecret.toString('hex')).toBe(pick<string>(vector.expected, 'sharedSecretHex'));
  });

  it.each(cstg.filter((v) => v.kind === 'cstg-response'))(
    'decrypts the operator answer: $title',
    async ({ input, expected }) => {
      const request = requests.find(
        (r) => pick<string>(r.expected, 'sharedSecretHex') === pick<string>(input, 'sharedSecretHex'),
      )!;
      const built = requestInput(request);
      const { fetch, sent } = answering(pick<string>(expected, 'responseBase64'));
      const client = new Uid2Client({
        baseUrl: 'http://operator.test',
        fetch,
        now: () => built.timestampMs ?? 0,
        random: fixedRandom(
          pick<string>(request.input, 'clientKeypair', 'privateScalarHex'),
          pick<string>(request.input, 'ivHex'),
        ),
      });
      const result = await client.clientSideGenerateToken({ ...built, appName: built.appName ?? undefined });
      if (built.timestampMs !== null) expect(sent[0]).toBe(pick<string>(request.expected, 'requestBody'));
      const json = JSON.parse(pick<string>(input, 'responseJson')) as {
        status: string;
        body?: Record<string, string | number>;
      };
      expect(result.status).toBe(json.status);
      if (result.status === 'success') expect(result.identity).toEqual(identityOf(json.body!));
    },
  );
});
