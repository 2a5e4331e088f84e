import { hashDiiBase64 } from '@uid2-operator/dii-normalize';
import { toV3IdentityMapItem } from '@uid2-operator/salt-buckets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOperator, type CallOptions, type TestOperator } from '../test-support/harness.js';
import { expectedMapping, prepareMapFixture, serviceMapperClient } from '../test-support/map-helpers.js';
import { WORKER_BODY_BYTES } from './identity-map-v3.js';

const PATH = '/v3/identity/map';
const NOW = Date.UTC(2026, 5, 1, 12);

// Requests of at least WORKER_BODY_BYTES are answered whole on a hashing worker thread (always, with
// MAP_WHOLE_REQUESTS=always); these tests check the answers equal the event-loop path's, errors included.
describe('POST /v3/identity/map answered on a hashing worker', () => {
  let operator: TestOperator;
  const serviceClient = serviceMapperClient(3);
  beforeAll(async () => {
    operator = await createTestOperator({
      now: () => NOW,
      config: { hashWorkers: 2, mapWholeRequests: 'always' },
      prepare: prepareMapFixture(serviceClient, NOW),
    });
  });
  afterAll(async () => operator.close());

  const emails = Array.from({ length: 800 }, (_, i) =>
    i % 50 === 7
      ? 'opted@example.com'
      : i % 50 === 9
        ? 'optout@example.com'
        : i % 61 === 3
          ? `bad ${i}`
          : `person${i}@example.com`,
  );
  const hashes = ['x@example.com', 'y@example.com'].map((email) => hashDiiBase64(email));
  const payload = { email: emails, email_hash: hashes, phone: ['+12345678901', '+1'] };
  const expected = () => ({
    email: emails.map((email) =>
      email === 'opted@example.com' || email === 'optout@example.com'
        ? { e: 'optout' }
        : email.startsWith('bad')
          ? { e: 'invalid identifier' }
          : toV3IdentityMapItem(expectedMapping(operator, 'email', 'raw', email, NOW)),
    ),
    email_hash: hashes.map((hash) =>
      toV3IdentityMapItem(expectedMapping(operator, 'email', 'hash', hash, NOW)),
    ),
    phone: [
      toV3IdentityMapItem(expectedMapping(operator, 'phone', 'raw', '+12345678901', NOW)),
      { e: 'invalid identifier' },
    ],
    phone_hash: [],
  });

  it('maps a large request with opt-outs, invalid identifiers and mixed types, as text and as binary', async () => {
    const text = await operator.call(PATH, payload);
    expect(Number(text.response.headers['content-length'])).toBeGreaterThan(0);
    expect(text.statusCode).toBe(200);
    expect(text.response.headers['content-type']).toBe('text/plain');
    expect(text.json).toEqual({ body: expected(), status: 'success' });

    const binary = await operator.call(PATH, payload, { binary: true });
    expect(binary.statusCode).toBe(200);
    expect(binary.response.headers['content-type']).toBe('application/octet-stream');
    expect(binary.json).toEqual(text.json);
  });

  it('answers base64 text sent as application/octet-stream in text mode, like the event loop', async () => {
    const result = await operator.call(PATH, payload, {
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(result.statusCode).toBe(200);
    expect(result.response.headers['content-type']).toBe('text/plain');
    expect(result.json).toEqual({ body: expected(), status: 'success' });
  });

  it('refuses exactly as the event-loop path: stale envelope, unknown key, service key, garbage body', async () => {
    const small = { email: ['a@example.com'] };
    const pairs: [Record<string, unknown>, Record<string, unknown>, CallOptions][] = [
      [payload, small, { timestampMs: NOW - 10 * 60_000 }],
      [{ ...payload, link_id: 'x' }, { ...small, link_id: 'x' }, {}],
      [{ email: [...emails, null] }, { email: [null] }, {}],
      [payload, small, { client: serviceClient }],
    ];
    for (const [large, smaller, options] of pairs) {
      const onWorker = await operator.call(PATH, large, options);
      const onLoop = await operator.call(PATH, smaller, options);
      expect(onWorker.statusCode).toBeGreaterThanOrEqual(400);
      expect({ status: onWorker.statusCode, json: onWorker.json }).toEqual({
        status: onLoop.statusCode,
        json: onLoop.json,
      });
    }
    const garbage = async (length: number) =>
      operator.app.inject({
        method: 'POST',
        url: PATH,
        headers: {
          authorization: `Bearer ${operator.fixture.clients.all.key}`,
          'content-type': 'text/plain',
        },
        payload: '#'.repeat(length),
      });
    const [large, smaller] = [await garbage(WORKER_BODY_BYTES + 10), await garbage(100)];
    expect(large.statusCode).toBe(400);
    expect([large.statusCode, large.body]).toEqual([smaller.statusCode, smaller.body]);
  });
});
