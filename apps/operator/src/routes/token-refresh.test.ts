import { openRefreshResponse } from '@uid2-operator/crypto-envelope';
import { decodeAdvertisingToken, decodeRefreshToken, unwrapRefreshToken } from '@uid2-operator/token-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('POST /v2/token/refresh', () => {
  let operator: TestOperator;
  let clock = T0;
  beforeAll(async () => {
    operator = await createTestOperator({ now: () => clock });
  });
  afterAll(async () => operator.close());

  it('refreshes a generated token without an API key and encrypts the answer with the presented response key', async () => {
    clock = T0;
    const first = await generateTokens(operator, { email: 'refresh-me@example.com' });
    clock = T0 + 20 * 60_000;
    const { statusCode, json, response } = await postRefresh(
      operator,
      first.refresh_token,
      first.refresh_response_key,
    );
    expect(statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const { status, body } = json as { status: string; body: Record<string, unknown> };
    expect(status).toBe('success');
    expect(body.refresh_token).toHaveLength(388);
    expect(body.refresh_response_key).not.toBe(first.refresh_response_key);
    expect(body.identity_expires).toBe(clock + 3_600_000);
    expect(body.refresh_expires).toBe(clock + 86_400_000);
    expect(body.refresh_from).toBe(clock + 900_000);

    const keyRing = operator.state.snapshot.keyRing;
    const before = decodeAdvertisingToken(first.advertising_token, keyRing);
    const after = decodeAdvertisingToken(String(body.advertising_token), keyRing);
    expect(after.siteId).toBe(999);
    expect(after.privacyBits).toBe(1);
    expect(after.establishedMs).toBe(T0);
    expect(after.refreshedMs).toBe(clock);
    expect(after.createdMs).toBe(clock);
    expect(after.rawUid.equals(before.rawUid)).toBe(true);
  });

  it('answers raw bytes as application/octet-stream when the request was binary', async () => {
    clock = T0;
    const first = await generateTokens(operator, { email: 'binary@example.com' });
    const { statusCode, json, response } = await postRefresh(
      operator,
      first.refresh_token,
      first.refresh_response_key,
      {
        binary: true,
      },
    );
    expect(statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect((json as { status: string }).status).toBe('success');
  });

  it('keeps the site, privacy bits and established time of the token even when another site refreshes it', async () => {
    clock = T0;
    const first = await generateTokens(
      operator,
      { email: 'cstg-like@example.com' },
      operator.fixture.clients.other,
    );
    clock = T0 + HOUR;
    const { json } = await postRefresh(operator, first.refresh_token, first.refresh_response_key, {
      client: operator.fixture.clients.all,
    });
    const body = (json as { body: { advertising_token: string; refresh_token: string } }).body;
    const keyRing = operator.state.snapshot.keyRing;
    expect(decodeAdvertisingToken(body.advertising_token, keyRing).siteId).toBe(123);
    const inner = decodeRefreshToken(unwrapRefreshToken(body.refresh_token, keyRing).innerToken, keyRing);
    expect(inner.siteId).toBe(123);
    expect(inner.establishedMs).toBe(T0);
    expect(inner.expiresMs).toBe(clock + 86_400_000);
  });

  it('answers a bare inner token (legacy path) in plain JSON with a new wrapped refresh token', async () => {
    clock = T0;
    const crafted = craftRefreshToken(operator.fixture, {
      flh: testFirstLevelHash('email', 'legacy@example.com'),
    });
    const { statusCode, json, response } = await postRefresh(operator, crafted.inner);
    expect(statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const { status, body } = json as { status: string; body: Record<string, unknown> };
    expect(status).toBe('success');
    expect(body.refresh_token).toHaveLength(388);
    expect(typeof body.refresh_response_key).toBe('string');
  });

  it('runs a generate → refresh → refresh chain, each step with the latest response key', async () => {
    clock = T0;
    let tokens = await generateTokens(operator, { phone: '+15555550100' });
    const rawUid = decodeAdvertisingToken(tokens.advertising_token, operator.state.snapshot.keyRing).rawUid;
    for (let step = 1; step <= 2; step++) {
      clock = T0 + step * HOUR;
      const { statusCode, json } = await postRefresh(
        operator,
        tokens.refresh_token,
        tokens.refresh_response_key,
      );
      expect(statusCode).toBe(200);
      tokens = (json as { body: typeof tokens }).body;
      const decoded = decodeAdvertisingToken(tokens.advertising_token, operator.state.snapshot.keyRing);
      expect(decoded.identityType).toBe('phone');
      expect(decoded.establishedMs).toBe(T0);
      expect(decoded.refreshedMs).toBe(clock);
      expect(decoded.rawUid.equals(rawUid)).toBe(true);
    }
  });

  it('accepts the token form-encoded or without a Content-Type, as the SDKs send it', async () => {
    clock = T0;
    for (const headers of [{ 'content-type': 'application/x-www-form-urlencoded' }, {}]) {
      const first = await generateTokens(operator, { email: 'sdk@example.com' });
      const response = await operator.app.inject({
        method: 'POST',
        url: '/v2/token/refresh',
        headers,
        payload: first.refresh_token,
      });
      expect(response.statusCode).toBe(200);
      const key = Buffer.from(first.refresh_response_key, 'base64');
      expect(JSON.parse(openRefreshResponse(key, response.body).toString('utf8'))).toMatchObject({
        status: 'success',
      });
    }
  });

  it('echoes X-Amzn-Trace-Id', async () => {
    const { response } = await postRefresh(operator, 'x', undefined, {
      headers: { 'x-amzn-trace-id': 'Root=1-abc' },
    });
    expect(response.headers['x-amzn-trace-id']).toBe('Root=1-abc');
  });
});
