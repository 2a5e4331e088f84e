import { randomBytes } from 'node:crypto';
import { diiHashOf } from '@uid2-operator/dii-normalize';
import {
  decodeAdvertisingToken,
  REFRESH_TOKEN_CUTOFF_MS,
  type EncryptionKey,
} from '@uid2-operator/token-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchTables } from '../test-support/fixture.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import {
  craftRefreshToken,
  HOUR_MS,
  REFRESH_TEST_T0,
  testFirstLevelHash,
} from '../test-support/refresh-tokens.js';
import { generateTokens, postRefresh } from '../test-support/token-helpers.js';

const T0 = REFRESH_TEST_T0;
const HOUR = HOUR_MS;

describe('POST /v2/token/refresh opt-out', () => {
  let operator: TestOperator;
  let clock = T0;
  beforeAll(async () => {
    operator = await createTestOperator({ now: () => clock });
  });
  afterAll(async () => operator.close());

  describe('opt-out on refresh', () => {
    it('answers an encrypted optout for tokens established before 2021-03-08T17:00Z, even to unauthenticated callers', async () => {
      clock = T0;
      const crafted = craftRefreshToken(operator.fixture, {
        flh: testFirstLevelHash('email', 'old@example.com'),
        establishedMs: REFRESH_TOKEN_CUTOFF_MS - 1,
      });
      const { statusCode, json } = await postRefresh(operator, crafted.wrapper, crafted.responseKey);
      expect(statusCode).toBe(200);
      expect(json).toEqual({ status: 'optout' });
    });

    it('answers deprecated tokens with optout even when they have expired', async () => {
      const crafted = craftRefreshToken(operator.fixture, {
        flh: testFirstLevelHash('email', 'old@example.com'),
        establishedMs: REFRESH_TOKEN_CUTOFF_MS - 1,
        expiresMs: T0 - HOUR,
      });
      expect((await postRefresh(operator, crafted.wrapper, crafted.responseKey)).json).toEqual({
        status: 'optout',
      });
    });

    for (const identity of [
      { email: 'refresh-optout@example.com' },
      { phone: '+00000000002' },
      { email_hash: diiHashOf('email', 'raw', 'refresh-optout@example.com')?.toString('base64') },
    ]) {
      it(`generates for ${JSON.stringify(identity)} but answers optout on refresh`, async () => {
        clock = T0;
        const first = await generateTokens(operator, identity);
        const { statusCode, json } = await postRefresh(
          operator,
          first.refresh_token,
          first.refresh_response_key,
        );
        expect(statusCode).toBe(200);
        expect(json).toEqual({ status: 'optout' });
      });
    }

    it('refreshes validate@example.com and +12345678901 normally', async () => {
      clock = T0;
      for (const identity of [{ email: 'validate@example.com' }, { phone: '+12345678901' }]) {
        const first = await generateTokens(operator, identity);
        const { json } = await postRefresh(operator, first.refresh_token, first.refresh_response_key);
        expect((json as { status: string }).status).toBe('success');
      }
    });

    it('answers optout for the always-opted-out test identities', async () => {
      for (const [type, dii] of [
        ['email', 'optout@example.com'],
        ['phone', '+00000000000'],
      ] as const) {
        const crafted = craftRefreshToken(operator.fixture, { type, flh: testFirstLevelHash(type, dii) });
        expect((await postRefresh(operator, crafted.wrapper, crafted.responseKey)).json).toEqual({
          status: 'optout',
        });
      }
    });

    it('answers optout after the identity opted out through /v2/token/logout', async () => {
      clock = T0;
      const first = await generateTokens(operator, { email: 'leaving@example.com' });
      const logout = await operator.call(
        '/v2/token/logout',
        { email: 'leaving@example.com' },
        { client: operator.fixture.clients.optout },
      );
      expect(logout.json).toEqual({ status: 'success', body: { optout: 'OK' } });
      const { statusCode, json } = await postRefresh(
        operator,
        first.refresh_token,
        first.refresh_response_key,
      );
      expect(statusCode).toBe(200);
      expect(json).toEqual({ status: 'optout' });
    });
  });
});

describe('POST /v2/token/refresh with rotating salts and keys', () => {
  it('recomputes the raw UID with the current salts', async () => {
    const operator = await createTestOperator({ now: () => T0 });
    try {
      const first = await generateTokens(operator, { email: 'rotate@example.com' });
      const keyRing = operator.state.snapshot.keyRing;
      const before = decodeAdvertisingToken(first.advertising_token, keyRing).rawUid;
      operator.source.buckets = operator.source.buckets.map((bucket) => ({
        ...bucket,
        currentSalt: randomBytes(32).toString('base64'),
        currentKey: null,
      }));
      operator.source.announce('salt');
      await operator.state.refreshNow();
      const { json } = await postRefresh(operator, first.refresh_token, first.refresh_response_key);
      const after = decodeAdvertisingToken(
        (json as { body: { advertising_token: string } }).body.advertising_token,
        keyRing,
      ).rawUid;
      const expected = await operator.call('/v2/token/generate', { email: 'rotate@example.com' });
      const regenerated = (expected.json as { body: { advertising_token: string } }).body.advertising_token;
      expect(after.equals(before)).toBe(false);
      expect(after.equals(decodeAdvertisingToken(regenerated, keyRing).rawUid)).toBe(true);
    } finally {
      await operator.close();
    }
  });

  it('answers 500 unknown "No active encryption key available" when no master key is active any more', async () => {
    let clock = T0;
    const operator = await createTestOperator({
      now: () => clock,
      prepare: (fixture) => {
        const keys = fixture.tables.keys.map((key): EncryptionKey =>
          key.keysetId === -1 ? { ...key, expiresSeconds: (T0 + HOUR) / 1000 } : key,
        );
        patchTables(fixture, { keys });
      },
    });
    try {
      const first = await generateTokens(operator, { email: 'late@example.com' });
      clock = T0 + 2 * HOUR;
      const { statusCode, json } = await postRefresh(
        operator,
        first.refresh_token,
        first.refresh_response_key,
      );
      expect(statusCode).toBe(500);
      expect(json).toEqual({ status: 'unknown', message: 'No active encryption key available' });
    } finally {
      await operator.close();
    }
  });

  it('answers an invalid token when issuance fails unexpectedly (here: the salt bucket is not loaded)', async () => {
    const source = await createTestOperator({ now: () => T0 });
    const first = await generateTokens(source, { email: 'no-salt@example.com' });
    await source.close();
    const broken = await createTestOperator({
      now: () => T0,
      prepare: (fixture) => {
        patchTables(fixture, { keys: source.fixture.tables.keys });
        fixture.buckets.length = 0;
      },
    });
    try {
      const anonymous = await postRefresh(broken, first.refresh_token, first.refresh_response_key);
      expect([anonymous.statusCode, anonymous.json]).toEqual([
        400,
        { status: 'error', message: 'Error refreshing token' },
      ]);
      const known = await postRefresh(broken, first.refresh_token, first.refresh_response_key, {
        client: broken.fixture.clients.all,
      });
      expect(known.json).toEqual({ status: 'invalid_token', message: 'Invalid Token presented' });
    } finally {
      await broken.close();
    }
  });

  it('refuses a refresh token of a UID2 operator on an EUID operator', async () => {
    const uid2 = await createTestOperator({ now: () => T0 });
    const first = await generateTokens(uid2, { email: 'scope@example.com' });
    await uid2.close();
    const euid = await createTestOperator({
      now: () => T0,
      config: { identityScope: 'EUID' },
      prepare: (fixture) => patchTables(fixture, { keys: uid2.fixture.tables.keys }),
    });
    try {
      const { statusCode, json } = await postRefresh(euid, first.refresh_token, first.refresh_response_key, {
        client: euid.fixture.clients.all,
      });
      expect(statusCode).toBe(400);
      expect(json).toEqual({ status: 'invalid_token', message: 'Invalid Token presented' });
    } finally {
      await euid.close();
    }
  });
});
