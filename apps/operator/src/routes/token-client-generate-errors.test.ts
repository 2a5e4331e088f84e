import { generateKeyPairSync } from 'node:crypto';
import { diiHashOf } from '@uid2-operator/dii-normalize';
import type { EncryptionKey } from '@uid2-operator/token-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addBrokenKeypair,
  BROKEN_SUBSCRIPTION,
  CSTG_EMAIL_HASH,
  cstgRequest,
  expectApiError,
  postCstg,
} from '../test-support/cstg-helpers.js';
import { patchTables, type Fixture } from '../test-support/fixture.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { withTestOperator } from '../test-support/token-helpers.js';

describe('POST /v2/token/client-generate refusals after the origin check', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await createTestOperator({
      config: { clientSideTokenGenerate: true },
      prepare: addBrokenKeypair,
    });
  });
  afterAll(async () => operator.close());

  describe('crypto fields (rows 6-10)', () => {
    const base = () => cstgRequest({ email_hash: CSTG_EMAIL_HASH }).body;

    it('answers "required parameters: payload, iv, public_key" when one is missing', async () => {
      for (const field of ['payload', 'iv', 'public_key'] as const) {
        const body: Record<string, unknown> = { ...base() };
        delete body[field];
        expectApiError(
          await postCstg(operator, body),
          400,
          'client_error',
          'required parameters: payload, iv, public_key',
        );
      }
    });

    it('answers "bad public key" to a key that is not base64 or not P-256 (the reference fails other curves with 500)', async () => {
      expectApiError(
        await postCstg(operator, { ...base(), public_key: '!!' }),
        400,
        'client_error',
        'bad public key',
      );
      const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({
        type: 'spki',
        format: 'der',
      });
      expectApiError(
        await postCstg(operator, { ...base(), public_key: p384.toString('base64') }),
        400,
        'client_error',
        'bad public key',
      );
    });

    it('answers "payload decryption failed" to a payload that is not base64', async () => {
      expectApiError(
        await postCstg(operator, { ...base(), payload: '%%%' }),
        400,
        'client_error',
        'payload decryption failed',
      );
    });

    it('answers "payload decryption failed" to a timestamp beyond 2^53 that cannot enter the AAD exactly', async () => {
      expectApiError(
        await postCstg(operator, { ...base(), timestamp: '123456789012345678' }),
        400,
        'client_error',
        'payload decryption failed',
      );
    });

    it('answers "encrypted payload contains invalid json" to a JSON array payload', async () => {
      const { body } = cstgRequest('["email_hash"]');
      expectApiError(
        await postCstg(operator, body),
        400,
        'client_error',
        'encrypted payload contains invalid json',
      );
    });
  });

  describe('identity (rows 11-13)', () => {
    it('refuses raw email and malformed hashes', async () => {
      const raw = cstgRequest({ email: 'cstg.user@example.com' }).body;
      expectApiError(
        await postCstg(operator, raw),
        400,
        'client_error',
        'please provide exactly one of: email_hash, phone_hash',
      );
      expectApiError(
        await postCstg(operator, cstgRequest({ email_hash: 'abc' }).body),
        400,
        'client_error',
        'Invalid Identifier',
      );
      expectApiError(
        await postCstg(operator, cstgRequest({ phone_hash: 12 }).body),
        400,
        'client_error',
        'Invalid Identifier',
      );
    });
  });

  it('answers 500 unknown for a keypair whose private key cannot be used', async () => {
    const { body } = cstgRequest({ email_hash: CSTG_EMAIL_HASH }, { subscriptionId: BROKEN_SUBSCRIPTION });
    expectApiError(
      await postCstg(operator, body),
      500,
      'unknown',
      'Unknown error while handling client side token generate',
    );
  });

  it('never writes the DII hash or the payload into the log', async () => {
    await postCstg(operator, cstgRequest({ email_hash: CSTG_EMAIL_HASH }).body);
    await postCstg(
      operator,
      cstgRequest({ email_hash: CSTG_EMAIL_HASH }, { subscriptionId: BROKEN_SUBSCRIPTION }).body,
    );
    expect(operator.logs.join('\n')).not.toContain(CSTG_EMAIL_HASH);
  });
});

describe('POST /v2/token/client-generate configuration', () => {
  it('is a 404 page when client-side token generation is off', async () => {
    await withTestOperator({ config: { clientSideTokenGenerate: false } }, async (operator) => {
      const response = await postCstg(operator, cstgRequest({ email_hash: CSTG_EMAIL_HASH }).body);
      expect(response.statusCode).toBe(404);
      expect(response.body).toBe('<html><body><h1>Resource not found</h1></body></html>');
    });
  });

  it('skips the origin check when the domain name check is off', async () => {
    await withTestOperator(
      { config: { clientSideTokenGenerate: true, cstgDomainNameCheck: false } },
      async (operator) => {
        expect(
          (await postCstg(operator, cstgRequest({ email_hash: CSTG_EMAIL_HASH }).body, {})).statusCode,
        ).toBe(200);
      },
    );
  });

  it('refuses phone hashes when phone support is off', async () => {
    await withTestOperator(
      { config: { clientSideTokenGenerate: true, phoneSupport: false } },
      async (operator) => {
        const phoneHash = diiHashOf('phone', 'raw', '+15555550100')?.toString('base64') ?? '';
        expectApiError(
          await postCstg(operator, cstgRequest({ phone_hash: phoneHash }).body),
          400,
          'client_error',
          'phone support not enabled',
        );
        expectApiError(
          await postCstg(operator, cstgRequest({}).body),
          400,
          'client_error',
          'please provide email_hash',
        );
      },
    );
  });

  it('answers 500 unknown "No active encryption key available" without an active master key', async () => {
    const prepare = (fixture: Fixture) =>
      patchTables(fixture, { keys: fixture.tables.keys.filter((key: EncryptionKey) => key.keysetId !== -1) });
    await withTestOperator({ config: { clientSideTokenGenerate: true }, prepare }, async (operator) => {
      expectApiError(
        await postCstg(operator, cstgRequest({ email_hash: CSTG_EMAIL_HASH }).body),
        500,
        'unknown',
        'No active encryption key available',
      );
    });
  });
});
