import { hashDiiBase64, hashDiiHex } from '@uid2-operator/dii-normalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { expectedMapping, prepareMapFixture, serviceMapperClient } from '../test-support/map-helpers.js';

const PATH = '/v2/identity/map';
const EXACTLY_ONE =
  'Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified';

interface V2Body {
  mapped: { identifier: string; advertising_id: string; bucket_id: string }[];
  unmapped?: { identifier: string; reason: string }[];
}

function bodyOf(json: unknown): V2Body {
  const answer = json as { status: string; body: V2Body };
  expect(answer.status).toBe('success');
  return answer.body;
}

describe('POST /v2/identity/map', () => {
  let operator: TestOperator;
  const serviceClient = serviceMapperClient(7);
  beforeAll(async () => {
    operator = await createTestOperator({
      prepare: prepareMapFixture(serviceClient),
    });
  });
  afterAll(async () => operator.close());

  it('maps emails in input order, echoing each identifier, and omits unmapped when everything mapped', async () => {
    const emails = ['User@Example.com', 'other@example.org'];
    const { statusCode, json } = await operator.call(PATH, { email: emails });
    expect(statusCode).toBe(200);
    const body = bodyOf(json);
    expect(body).not.toHaveProperty('unmapped');
    expect(body.mapped).toEqual(
      emails.map((identifier) => {
        const mapped = expectedMapping(operator, 'email', 'raw', identifier);
        return { identifier, advertising_id: mapped.rawUid.toString('base64'), bucket_id: mapped.bucketId };
      }),
    );
  });

  it('echoes hex and base64 hashes exactly as sent and maps them like the raw email', async () => {
    const hex = hashDiiHex('user@example.com').toUpperCase();
    const base64 = hashDiiBase64('user@example.com');
    const body = bodyOf((await operator.call(PATH, { email_hash: [hex, base64] })).json);
    const expected = expectedMapping(operator, 'email', 'raw', 'user@example.com').rawUid.toString('base64');
    expect(body.mapped.map((item) => item.identifier)).toEqual([hex, base64]);
    expect(body.mapped.map((item) => item.advertising_id)).toEqual([expected, expected]);
  });

  it('lists invalid and opted-out identifiers as unmapped with their reasons, in input order', async () => {
    const optoutHash = hashDiiBase64('optout@example.com');
    const body = bodyOf(
      (
        await operator.call(PATH, {
          email: ['not-an-email', 'optout@example.com', 'ok@example.com', 'opted@example.com'],
        })
      ).json,
    );
    expect(body.mapped.map((item) => item.identifier)).toEqual(['ok@example.com']);
    expect(body.unmapped).toEqual([
      { identifier: 'not-an-email', reason: 'invalid identifier' },
      { identifier: 'optout@example.com', reason: 'optout' },
      { identifier: 'opted@example.com', reason: 'optout' },
    ]);
    const hashed = bodyOf((await operator.call(PATH, { email_hash: [optoutHash, 'bad-hash'] })).json);
    expect(hashed).toEqual({
      mapped: [],
      unmapped: [
        { identifier: optoutHash, reason: 'optout' },
        { identifier: 'bad-hash', reason: 'invalid identifier' },
      ],
    });
  });

  it('maps phones and treats the phone test identities like generate does', async () => {
    const body = bodyOf(
      (await operator.call(PATH, { phone: ['+12345678901', '+00000000000', '555-1234'], email: [] })).json,
    );
    expect(body.mapped).toEqual([
      expect.objectContaining({
        identifier: '+12345678901',
        advertising_id: expectedMapping(operator, 'phone', 'raw', '+12345678901').rawUid.toString('base64'),
      }),
    ]);
    expect(body.unmapped).toEqual([
      { identifier: '+00000000000', reason: 'optout' },
      { identifier: '555-1234', reason: 'invalid identifier' },
    ]);
  });

  it('answers {"mapped":[]} when the DII arrays are present but empty', async () => {
    expect(bodyOf((await operator.call(PATH, { email: [], phone_hash: [] })).json)).toEqual({ mapped: [] });
  });

  it.each([
    ['a DII key that is not an array', { email: 'a@example.com' }, 'email must be an array'],
    [
      'the first non-array key in email, email_hash, phone, phone_hash order',
      { phone: 1, email_hash: {} },
      'email_hash must be an array',
    ],
    ['no DII key at all', { link_id: 'x' }, EXACTLY_ONE],
    ['two non-empty arrays', { email: ['a@example.com'], phone: ['+12345678901'] }, EXACTLY_ONE],
    ['an envelope without JSON (the reference fails with a 500 there)', undefined, EXACTLY_ONE],
    [
      'a null element (the reference fails with a 500 there)',
      { email: ['a@example.com', null] },
      'Incorrect request format',
    ],
  ])('answers 400 client_error for %s', async (_case, payload, message) => {
    const { statusCode, json } = await operator.call(PATH, payload);
    expect(statusCode).toBe(400);
    expect(json).toEqual({ status: 'client_error', message });
  });

  it('answers 400 for an undecryptable envelope', async () => {
    const response = await operator.app.inject({
      method: 'POST',
      url: PATH,
      headers: {
        authorization: `Bearer ${operator.fixture.clients.mapper.key}`,
        'content-type': 'text/plain',
      },
      payload: '!!not base64!!',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ status: string }>().status).toBe('client_error');
  });

  it('answers 401 unauthorized without the MAPPER role or with a disabled key', async () => {
    for (const client of [operator.fixture.clients.generator, operator.fixture.clients.disabled]) {
      const { statusCode, response } = await operator.call(PATH, { email: ['a@example.com'] }, { client });
      expect(statusCode).toBe(401);
      expect(response.body).toBe('{"status":"unauthorized"}');
    }
  });

  it('answers 401 Invalid link_id to a service key, but only after the input checks', async () => {
    const refused = await operator.call(
      PATH,
      { email: ['a@example.com'], link_id: 'abc' },
      { client: serviceClient },
    );
    expect(refused.statusCode).toBe(401);
    expect(refused.json).toEqual({ status: 'unauthorized', message: 'Invalid link_id' });
    const withoutLink = await operator.call(PATH, { email: ['a@example.com'] }, { client: serviceClient });
    expect(withoutLink.statusCode).toBe(401);
    const badInput = await operator.call(PATH, { email: 'a@example.com' }, { client: serviceClient });
    expect(badInput.json).toEqual({ status: 'client_error', message: 'email must be an array' });
  });

  it('ignores a link_id sent with an ordinary key', async () => {
    const { statusCode } = await operator.call(PATH, { email: ['a@example.com'], link_id: 'abc' });
    expect(statusCode).toBe(200);
  });

  it('answers the email-only message and ignores phone keys when phone support is off', async () => {
    const noPhones = await createTestOperator({ config: { phoneSupport: false } });
    try {
      const { statusCode, json } = await noPhones.call(PATH, { phone: ['+12345678901'] });
      expect(statusCode).toBe(400);
      expect(json).toEqual({
        status: 'client_error',
        message: 'Required Parameter Missing: exactly one of email or email_hash must be specified',
      });
      const mixed = bodyOf(
        (await noPhones.call(PATH, { email: ['a@example.com'], phone: 'not even an array' })).json,
      );
      expect(mixed.mapped).toHaveLength(1);
    } finally {
      await noPhones.close();
    }
  });

  it('answers 500 unknown when a selected salt bucket is missing', async () => {
    const broken = await createTestOperator({
      bucketCount: 1,
      prepare: (fixture) => fixture.buckets.splice(0),
    });
    try {
      const { statusCode, json } = await broken.call(PATH, { email: ['a@example.com'] });
      expect(statusCode).toBe(500);
      expect(json).toEqual({ status: 'unknown', message: 'Unknown error while mapping identity v2' });
      expect(broken.logs.join('\n')).not.toContain('a@example.com');
    } finally {
      await broken.close();
    }
  });
});
