import { hashDiiBase64 } from '@uid2-operator/dii-normalize';
import { toV3IdentityMapItem } from '@uid2-operator/salt-buckets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBuckets } from '../test-support/fixture.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { expectedMapping, prepareMapFixture, serviceMapperClient } from '../test-support/map-helpers.js';

const PATH = '/v3/identity/map';
const NOW = Date.UTC(2026, 5, 1, 12);

type Item = { u: string; p: string | null; r: number } | { e: string };
interface V3Body {
  email: Item[];
  email_hash: Item[];
  phone: Item[];
  phone_hash: Item[];
}

function bodyOf(json: unknown): V3Body {
  const answer = json as { status: string; body: V3Body };
  expect(answer.status).toBe('success');
  return answer.body;
}

describe('POST /v3/identity/map', () => {
  let operator: TestOperator;
  const serviceClient = serviceMapperClient(3);
  beforeAll(async () => {
    operator = await createTestOperator({
      now: () => NOW,
      prepare: prepareMapFixture(serviceClient, NOW),
    });
  });
  afterAll(async () => operator.close());

  const item = (type: 'email' | 'phone', form: 'raw' | 'hash', value: string) =>
    toV3IdentityMapItem(expectedMapping(operator, type, form, value, NOW));

  it('answers all four arrays index-aligned with mixed types, p present even when null, r in seconds', async () => {
    const emails = ['a@example.com', 'invalid', 'optout@example.com', 'opted@example.com'];
    const hash = hashDiiBase64('b@example.com');
    const { statusCode, json } = await operator.call(PATH, {
      email: emails,
      email_hash: [hash],
      phone: ['+12345678901'],
    });
    expect(statusCode).toBe(200);
    const body = bodyOf(json);
    expect(Object.keys(body)).toEqual(['email', 'email_hash', 'phone', 'phone_hash']);
    expect(body).toEqual({
      email: [
        item('email', 'raw', 'a@example.com'),
        { e: 'invalid identifier' },
        { e: 'optout' },
        { e: 'optout' },
      ],
      email_hash: [item('email', 'hash', hash)],
      phone: [item('phone', 'raw', '+12345678901')],
      phone_hash: [],
    });
    for (const mapped of [...body.email.slice(0, 1), ...body.email_hash, ...body.phone]) {
      expect(mapped).toHaveProperty('p');
      expect('r' in mapped && Number.isInteger(mapped.r) && mapped.r < NOW).toBe(true);
    }
  });

  it('reports a previous raw UID for a recently rotated bucket and null otherwise', async () => {
    const emails = Array.from({ length: 40 }, (_, i) => `rotation${i}@example.com`);
    const body = bodyOf((await operator.call(PATH, { email: emails })).json);
    const withPrevious = body.email.filter((entry) => 'p' in entry && entry.p !== null);
    const withoutPrevious = body.email.filter((entry) => 'p' in entry && entry.p === null);
    expect(withPrevious.length).toBeGreaterThan(0);
    expect(withoutPrevious.length).toBeGreaterThan(0);
    expect(body.email).toEqual(emails.map((email) => item('email', 'raw', email)));
  });

  it('accepts application/octet-stream and answers raw bytes', async () => {
    const { statusCode, json, response } = await operator.call(
      PATH,
      { phone_hash: [hashDiiBase64('+12345678901')] },
      { binary: true },
    );
    expect(statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(bodyOf(json).phone_hash).toEqual([item('phone', 'hash', hashDiiBase64('+12345678901'))]);
  });

  it.each([
    ['{"email": []}', { email: [] }],
    ['{"email_hash": null}', { email_hash: null }],
  ])('answers four empty arrays for %s', async (_case, payload) => {
    expect(bodyOf((await operator.call(PATH, payload)).json)).toEqual({
      email: [],
      email_hash: [],
      phone: [],
      phone_hash: [],
    });
  });

  it.each([
    [
      'an empty object',
      {},
      'Required Parameter Missing: one or more of [email, email_hash, phone, phone_hash] must be specified',
    ],
    [
      'an envelope without JSON',
      undefined,
      'Required Parameter Missing: one or more of [email, email_hash, phone, phone_hash] must be specified',
    ],
    [
      'an unknown key such as link_id',
      { email: ['a@example.com'], link_id: 'x' },
      'Incorrect request format',
    ],
    ['the removed policy key', { email: ['a@example.com'], policy: 1 }, 'Incorrect request format'],
    ['a null element', { email: ['a@example.com', null] }, 'Incorrect request format'],
    ['a value that is not an array', { phone: '+12345678901' }, 'Incorrect request format'],
  ])('answers 400 client_error for %s', async (_case, payload, message) => {
    const { statusCode, json } = await operator.call(PATH, payload);
    expect(statusCode).toBe(400);
    expect(json).toEqual({ status: 'client_error', message });
  });

  it('answers 401 unauthorized without the MAPPER role', async () => {
    const { statusCode, response } = await operator.call(
      PATH,
      { email: [] },
      { client: operator.fixture.clients.bidder },
    );
    expect(statusCode).toBe(401);
    expect(response.body).toBe('{"status":"unauthorized"}');
  });

  it('answers 401 Invalid link_id to a service key after parsing', async () => {
    const refused = await operator.call(PATH, { email: ['a@example.com'] }, { client: serviceClient });
    expect(refused.statusCode).toBe(401);
    expect(refused.json).toEqual({ status: 'unauthorized', message: 'Invalid link_id' });
    const badInput = await operator.call(PATH, { foo: [] }, { client: serviceClient });
    expect(badInput.json).toEqual({ status: 'client_error', message: 'Incorrect request format' });
  });

  it('still maps phone arrays and answers the email-only message for {} when phone support is off', async () => {
    const noPhones = await createTestOperator({ now: () => NOW, config: { phoneSupport: false } });
    try {
      const mapped = bodyOf((await noPhones.call(PATH, { phone: ['+12345678901'] })).json);
      expect(mapped.phone).toHaveLength(1);
      expect(mapped.phone[0]).toHaveProperty('u');
      expect((await noPhones.call(PATH, {})).json).toEqual({
        status: 'client_error',
        message: 'Required Parameter Missing: one or more of [email, email_hash] must be specified',
      });
    } finally {
      await noPhones.close();
    }
  });

  it('maps a 5,000-identifier request on the hashing workers exactly as the inline path would', async () => {
    const emails = Array.from({ length: 5000 }, (_, i) =>
      i % 97 === 3 ? `bad${i}` : `bulk${i}@example.com`,
    );
    const { statusCode, json } = await operator.call(PATH, { email: emails, phone: ['+00000000000'] });
    expect(statusCode).toBe(200);
    const body = bodyOf(json);
    expect(body.phone).toEqual([{ e: 'optout' }]);
    expect(body.email).toHaveLength(5000);
    body.email.forEach((entry, i) => {
      expect(entry).toEqual(
        i % 97 === 3 ? { e: 'invalid identifier' } : item('email', 'raw', emails[i] ?? ''),
      );
    });
  });

  it('answers 500 unknown when a selected salt bucket is missing', async () => {
    const broken = await createTestOperator({
      bucketCount: 1,
      prepare: (fixture) => fixture.buckets.splice(0),
    });
    try {
      const { statusCode, json } = await broken.call(PATH, { email: ['a@example.com'] });
      expect(statusCode).toBe(500);
      expect(json).toEqual({ status: 'unknown', message: 'Unknown error while mapping identity v3' });
    } finally {
      await broken.close();
    }
  });
});

describe('POST /v3/identity/map after a salt rotation', () => {
  it('answers with the new salts on the hashing workers once the state has refreshed', async () => {
    const operator = await createTestOperator({ now: () => NOW, config: { hashWorkers: 1 } });
    try {
      const emails = Array.from({ length: 500 }, (_, i) => `rotated${i}@example.com`);
      const expected = () =>
        emails.map((email) => toV3IdentityMapItem(expectedMapping(operator, 'email', 'raw', email, NOW)));
      const before = bodyOf((await operator.call(PATH, { email: emails })).json).email;
      expect(before).toEqual(expected());
      const seen: number[] = [];
      operator.state.onSaltsChanged((buckets) => seen.push(buckets.length));
      operator.state.onSaltsChanged(() => {
        throw new RangeError('listener bug');
      });
      const removed = operator.state.onSaltsChanged(() => seen.push(-1));
      removed();
      operator.source.buckets = testBuckets(16, NOW);
      operator.source.announce('salt');
      await operator.state.refreshNow();
      expect(seen).toEqual([16]);
      expect(
        operator.logs.some(
          (line) => line.includes('salt change listener failed') && line.includes('RangeError'),
        ),
      ).toBe(true);
      const after = bodyOf((await operator.call(PATH, { email: emails })).json).email;
      expect(after).toEqual(expected());
      expect(after).not.toEqual(before);
    } finally {
      await operator.close();
    }
  });
});
