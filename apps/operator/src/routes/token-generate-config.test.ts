import { diiHashOf } from '@uid2-operator/dii-normalize';
import type { EncryptionKey } from '@uid2-operator/token-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchTables, type Fixture } from '../test-support/fixture.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { buildTcfString } from '../test-support/tcf-string.js';
import { withTestOperator } from '../test-support/token-helpers.js';

const MISSING_EMAIL_DII = 'Required Parameter Missing: exactly one of email or email_hash must be specified';

const hashOf = (type: 'email' | 'phone', dii: string, encoding: 'base64' | 'hex' = 'base64') =>
  diiHashOf(type, 'raw', dii)?.toString(encoding) ?? '';

interface Answer {
  status: string;
  message?: string;
  body?: Record<string, unknown>;
}

describe('POST /v2/token/generate with phone support disabled', () => {
  it('names only email and email_hash and ignores phone keys', async () => {
    await withTestOperator({ config: { phoneSupport: false } }, async (operator) => {
      for (const payload of [
        { phone: '+15555550100' },
        { phone_hash: hashOf('phone', '+15555550100') },
        {},
      ]) {
        expect((await operator.call('/v2/token/generate', payload)).json).toEqual({
          status: 'client_error',
          message: MISSING_EMAIL_DII,
        });
      }
      const both = await operator.call('/v2/token/generate', { email: 'a@b.com', phone: '+15555550100' });
      expect((both.json as Answer).status).toBe('success');
    });
  });
});

describe('POST /v2/token/generate on an EUID operator (TCF consent)', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await createTestOperator({ config: { identityScope: 'EUID' } });
  });
  afterAll(async () => operator.close());

  it('issues EUID tokens when the consent is sufficient or absent', async () => {
    const consent = buildTcfString({ consentPurposes: [1, 2, 3, 4, 7, 10], consentVendors: [21] });
    for (const payload of [
      { email: 'eu@example.com', tcf_consent_string: consent },
      { email: 'eu@example.com' },
    ]) {
      const { json } = await operator.call('/v2/token/generate', payload);
      expect(String((json as Answer).body?.advertising_token).startsWith('E4')).toBe(true);
    }
  });

  it('answers an encrypted insufficient_user_consent when purposes are missing', async () => {
    const consent = buildTcfString({ consentPurposes: [1, 2, 3], consentVendors: [21] });
    const { statusCode, json } = await operator.call('/v2/token/generate', {
      email: 'eu@example.com',
      tcf_consent_string: consent,
    });
    expect(statusCode).toBe(200);
    expect(json).toEqual({ status: 'insufficient_user_consent' });
  });

  it('answers "User consent is invalid" for an empty or unparsable consent string', async () => {
    for (const consent of ['', 'garbage!', 'AAAA']) {
      const { statusCode, json } = await operator.call('/v2/token/generate', {
        email: 'eu@example.com',
        tcf_consent_string: consent,
      });
      expect(statusCode).toBe(400);
      expect(json).toEqual({ status: 'client_error', message: 'User consent is invalid' });
    }
  });

  it('ignores the consent string on a UID2 operator', async () => {
    await withTestOperator({}, async (uid2) => {
      const { json } = await uid2.call('/v2/token/generate', {
        email: 'a@b.com',
        tcf_consent_string: 'garbage!',
      });
      expect((json as Answer).status).toBe('success');
    });
  });
});

describe('POST /v2/token/generate server errors', () => {
  it('answers 500 unknown "No active encryption key available" without an active master key', async () => {
    const prepare = (fixture: Fixture) =>
      patchTables(fixture, { keys: fixture.tables.keys.filter((key: EncryptionKey) => key.keysetId !== -1) });
    await withTestOperator({ prepare }, async (operator) => {
      const { statusCode, json } = await operator.call('/v2/token/generate', { email: 'user@example.com' });
      expect(statusCode).toBe(500);
      expect(json).toEqual({ status: 'unknown', message: 'No active encryption key available' });
    });
  });

  it('answers 500 unknown "Unknown error while generating token v2" on an unexpected failure', async () => {
    await withTestOperator({ prepare: (fixture) => void (fixture.buckets.length = 0) }, async (operator) => {
      const { statusCode, json } = await operator.call('/v2/token/generate', { email: 'user@example.com' });
      expect(statusCode).toBe(500);
      expect(json).toEqual({ status: 'unknown', message: 'Unknown error while generating token v2' });
    });
  });
});
