import type { EncryptionKey } from '@uid2-operator/token-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchTables } from '../test-support/fixture.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { craftRefreshToken, REFRESH_TEST_T0, testFirstLevelHash } from '../test-support/refresh-tokens.js';
import { loadVectors, postRefresh } from '../test-support/token-helpers.js';

const T0 = REFRESH_TEST_T0;

describe('POST /v2/token/refresh refusals', () => {
  let operator: TestOperator;
  let clock = T0;
  beforeAll(async () => {
    operator = await createTestOperator({ now: () => clock });
  });
  afterAll(async () => operator.close());

  describe('refused tokens by authentication state', () => {
    const cases: { name: string; body: () => string; failure: 'invalid' | 'expired' }[] = [
      { name: 'an empty body', body: () => '', failure: 'invalid' },
      { name: 'text that is not base64', body: () => 'not a token!', failure: 'invalid' },
      {
        name: 'a token with an unknown version byte',
        body: () => Buffer.alloc(124, 7).toString('base64'),
        failure: 'invalid',
      },
      {
        name: 'a token naming an unknown key id',
        body: () => {
          const bytes = Buffer.from(
            craftRefreshToken(operator.fixture, { flh: testFirstLevelHash('email', 'a@b.com') }).inner,
            'base64',
          );
          bytes.writeInt32BE(424_242, 2);
          return bytes.toString('base64');
        },
        failure: 'invalid',
      },
      {
        name: 'a token whose GCM check fails under a known key',
        body: () => {
          const bytes = Buffer.from(
            craftRefreshToken(operator.fixture, { flh: testFirstLevelHash('email', 'a@b.com') }).inner,
            'base64',
          );
          bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 1;
          return bytes.toString('base64');
        },
        failure: 'invalid',
      },
      {
        name: 'a token too short for its key id',
        body: () => Buffer.from([3, 0x70, 0]).toString('base64'),
        failure: 'invalid',
      },
      {
        name: 'a token of the other identity scope',
        body: () =>
          craftRefreshToken(operator.fixture, { scope: 'EUID', flh: testFirstLevelHash('email', 'a@b.com') })
            .inner,
        failure: 'invalid',
      },
      {
        name: 'an expired token',
        body: () =>
          craftRefreshToken(operator.fixture, {
            flh: testFirstLevelHash('email', 'a@b.com'),
            expiresMs: T0 - 1,
          }).inner,
        failure: 'expired',
      },
    ];

    for (const testCase of cases) {
      it(`answers 400 error "Error refreshing token" to an unauthenticated caller for ${testCase.name}`, async () => {
        clock = T0;
        const { statusCode, json } = await postRefresh(operator, testCase.body());
        expect(statusCode).toBe(400);
        expect(json).toEqual({ status: 'error', message: 'Error refreshing token' });
      });

      it(`answers the ${testCase.failure} status to an authenticated caller for ${testCase.name}`, async () => {
        clock = T0;
        const { statusCode, json } = await postRefresh(operator, testCase.body(), undefined, {
          client: operator.fixture.clients.mapper,
        });
        expect(statusCode).toBe(400);
        expect(json).toEqual(
          testCase.failure === 'expired'
            ? { status: 'expired_token', message: 'Expired Token presented' }
            : { status: 'invalid_token', message: 'Invalid Token presented' },
        );
      });
    }

    it('counts a disabled but known API key as authenticated', async () => {
      const { json } = await postRefresh(operator, 'abc', undefined, {
        client: operator.fixture.clients.disabled,
      });
      expect(json).toEqual({ status: 'invalid_token', message: 'Invalid Token presented' });
    });

    it('accepts a token at its expiry millisecond and refuses it one millisecond later', async () => {
      const crafted = craftRefreshToken(operator.fixture, {
        flh: testFirstLevelHash('email', 'edge@example.com'),
        expiresMs: T0 + 5000,
      });
      clock = T0 + 5000;
      expect((await postRefresh(operator, crafted.wrapper, crafted.responseKey)).statusCode).toBe(200);
      clock = T0 + 5001;
      expect((await postRefresh(operator, crafted.wrapper, crafted.responseKey)).json).toEqual({
        status: 'error',
        message: 'Error refreshing token',
      });
    });
  });
});

describe('POST /v2/token/refresh with the refresh-request-error vectors', () => {
  const vectors = loadVectors('refresh-token.json', 'refresh-request-error');
  let operator: TestOperator;
  beforeAll(async () => {
    const keyStore = vectors[0]?.input.keyStore as { id: number; secretBase64: string }[];
    operator = await createTestOperator({
      prepare: (fixture) => {
        const keys = fixture.tables.keys.map((key): EncryptionKey => {
          const replacement = keyStore.find((entry) => entry.id === key.id);
          return replacement === undefined
            ? key
            : { ...key, secret: Buffer.from(replacement.secretBase64, 'base64') };
        });
        patchTables(fixture, { keys });
      },
    });
  });
  afterAll(async () => operator.close());

  it('covers every vector of the file', () => {
    expect(vectors).toHaveLength(4);
  });

  for (const vector of vectors) {
    for (const authenticated of [false, true]) {
      it(`answers "${vector.title}" with the exact 400 (${authenticated ? 'with' : 'without'} an API key)`, async () => {
        const body = vector.input.requestBody as string;
        expect(body).toHaveLength(388);
        const { statusCode, json } = await postRefresh(
          operator,
          body,
          undefined,
          authenticated ? { client: operator.fixture.clients.all } : {},
        );
        expect(statusCode).toBe(vector.expected.httpStatus);
        expect(json).toEqual({ status: vector.expected.status, message: vector.expected.message });
      });
    }
  }
});
