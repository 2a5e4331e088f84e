import { openCstgResponse } from '@uid2-operator/crypto-envelope';
import { diiHashOf } from '@uid2-operator/dii-normalize';
import { decodeAdvertisingToken } from '@uid2-operator/token-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addBrokenKeypair,
  CSTG_EMAIL_HASH,
  cstgRequest,
  expectApiError,
  postCstg,
  PUBLISHER_ORIGIN,
} from '../test-support/cstg-helpers.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { postRefresh } from '../test-support/token-helpers.js';

describe('POST /v2/token/client-generate', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await createTestOperator({
      config: { clientSideTokenGenerate: true },
      prepare: addBrokenKeypair,
    });
  });
  afterAll(async () => operator.close());

  it('issues CSTG tokens (site of the keypair, privacy bits 3) encrypted with the shared secret', async () => {
    const { body, sharedSecret } = cstgRequest({ email_hash: CSTG_EMAIL_HASH });
    const response = await postCstg(operator, body);
    expect(response.statusCode).toBe(200);
    const answer = JSON.parse(openCstgResponse(sharedSecret, response.body).toString('utf8')) as {
      status: string;
      body: { advertising_token: string; refresh_token: string; refresh_response_key: string };
    };
    expect(answer.status).toBe('success');
    const decoded = decodeAdvertisingToken(answer.body.advertising_token, operator.state.snapshot.keyRing);
    expect(decoded.siteId).toBe(999);
    expect(decoded.privacyBits).toBe(3);

    const refreshed = await postRefresh(
      operator,
      answer.body.refresh_token,
      answer.body.refresh_response_key,
    );
    const next = (refreshed.json as { body: { advertising_token: string } }).body.advertising_token;
    expect(decodeAdvertisingToken(next, operator.state.snapshot.keyRing).privacyBits).toBe(3);
  });

  it('answers optout encrypted with the shared secret', async () => {
    const optoutHash = diiHashOf('email', 'raw', 'optout@example.com')?.toString('hex');
    const { body, sharedSecret } = cstgRequest({ email_hash: optoutHash ?? '' });
    const response = await postCstg(operator, body);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(openCstgResponse(sharedSecret, response.body).toString('utf8'))).toEqual({
      status: 'optout',
    });
  });

  describe('body checks (rows 1-2b)', () => {
    it('answers "json payload is not valid" to text that is not JSON and to a zero-length body', async () => {
      expectApiError(await postCstg(operator, 'not json'), 400, 'client_error', 'json payload is not valid');
      expectApiError(await postCstg(operator, ''), 400, 'client_error', 'json payload is not valid');
      const withoutType = await operator.app.inject({
        method: 'POST',
        url: '/v2/token/client-generate',
        headers: { 'content-length': '0', ...PUBLISHER_ORIGIN },
      });
      expectApiError(withoutType, 400, 'client_error', 'json payload is not valid');
    });

    it('answers "json payload expected but not found" to no body at all and to JSON null', async () => {
      expectApiError(
        await postCstg(operator, undefined),
        400,
        'client_error',
        'json payload expected but not found',
      );
      expectApiError(
        await postCstg(operator, 'null'),
        400,
        'client_error',
        'json payload expected but not found',
      );
    });

    it('answers 400 instead of the reference 500 to JSON that is not an object or has an unknown field', async () => {
      expectApiError(await postCstg(operator, '[1,2]'), 400, 'client_error', 'json payload is not valid');
      const { body } = cstgRequest({ email_hash: CSTG_EMAIL_HASH });
      expectApiError(
        await postCstg(operator, { ...body, extra: 1 }),
        400,
        'client_error',
        'json payload is not valid',
      );
    });
  });

  describe('subscription, keypair and origin (rows 3-5)', () => {
    it('answers "bad subscription_id" to an unknown or missing subscription before any other field check', async () => {
      expectApiError(
        await postCstg(
          operator,
          cstgRequest({ email_hash: CSTG_EMAIL_HASH }, { subscriptionId: 'nope' }).body,
        ),
        400,
        'client_error',
        'bad subscription_id',
      );
      expectApiError(await postCstg(operator, {}), 400, 'client_error', 'bad subscription_id');
    });

    it('answers 401 unauthorized "Unauthorized" for a disabled keypair', async () => {
      const { body } = cstgRequest({ email_hash: CSTG_EMAIL_HASH }, { subscriptionId: 'disabledKp' });
      expectApiError(await postCstg(operator, body), 401, 'unauthorized', 'Unauthorized');
    });

    it('accepts registrable domains of the site and localhost, and refuses other origins', async () => {
      const { body } = cstgRequest({ email_hash: CSTG_EMAIL_HASH });
      for (const origin of [
        'https://example.com',
        'https://shop.example.com:8443',
        'http://localhost:3000',
        'http://app.localhost',
      ]) {
        expect((await postCstg(operator, body, { origin })).statusCode).toBe(200);
      }
      for (const origin of [
        'https://example.org',
        'https://127.0.0.1',
        'not a url',
        'http://a.b.localhost',
      ]) {
        expectApiError(
          await postCstg(operator, body, { origin }),
          403,
          'invalid_http_origin',
          'unexpected http origin',
        );
      }
      expectApiError(
        await postCstg(operator, body, {}),
        403,
        'invalid_http_origin',
        'unexpected http origin',
      );
    });

    it('checks app_name case-insensitively instead of the Origin, and refuses an empty one', async () => {
      const good = cstgRequest({ email_hash: CSTG_EMAIL_HASH }, { appName: 'COM.UID2.DevApp' });
      expect((await postCstg(operator, good.body, {})).statusCode).toBe(200);
      const empty = cstgRequest({ email_hash: CSTG_EMAIL_HASH }, { appName: '' });
      expectApiError(
        await postCstg(operator, empty.body, PUBLISHER_ORIGIN),
        403,
        'invalid_app_name',
        'unexpected app name',
      );
    });

    it('checks the origin before the crypto fields', async () => {
      const { body } = cstgRequest({ email_hash: CSTG_EMAIL_HASH });
      expectApiError(
        await postCstg(operator, { subscription_id: body.subscription_id }, {}),
        403,
        'invalid_http_origin',
        'unexpected http origin',
      );
    });
  });
});
