import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { optOutRecordFor } from '../test-support/map-helpers.js';

const PATH = '/v2/optout/status';

describe('POST /v2/optout/status', () => {
  let operator: TestOperator;
  let first = '';
  let second = '';
  beforeAll(async () => {
    operator = await createTestOperator({
      config: { optoutStatusMaxRequestSize: 5 },
      prepare: (fixture) => {
        const a = optOutRecordFor(fixture, 'first@example.com', 1_700_000_000);
        const b = optOutRecordFor(fixture, 'second@example.com', 1_600_000_123);
        fixture.optOuts.push(a, b, { ...optOutRecordFor(fixture, 'first@example.com', 1_800_000_000) });
        first = Buffer.from(a.advertisingId ?? []).toString('base64');
        second = Buffer.from(b.advertisingId ?? []).toString('base64');
      },
    });
  });
  afterAll(async () => operator.close());

  it('answers only the opted-out ids, in input order, with the earliest opt-out time in milliseconds', async () => {
    const unknown = Buffer.alloc(32, 7).toString('base64');
    const { statusCode, json } = await operator.call(PATH, { advertising_ids: [second, unknown, first] });
    expect(statusCode).toBe(200);
    expect(json).toEqual({
      status: 'success',
      body: {
        opted_out: [
          { advertising_id: second, opted_out_since: 1_600_000_123_000 },
          { advertising_id: first, opted_out_since: 1_700_000_000_000 },
        ],
      },
    });
  });

  it('matches exact strings only: undecodable, wrongly sized and non-canonical spellings are not opted out', async () => {
    const unpadded = first.replace(/=$/, '');
    // Same 32 bytes, but with a non-zero padding bit in the last character (a lenient decoder accepts it).
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const nonCanonical = `${first.slice(0, 42)}${alphabet[alphabet.indexOf(first[42] ?? 'A') + 1] ?? ''}=`;
    expect(Buffer.from(nonCanonical, 'base64')).toEqual(Buffer.from(first, 'base64'));
    const ids = ['not base64 at all!', unpadded, nonCanonical, Buffer.alloc(16).toString('base64'), ''];
    const { json } = await operator.call(PATH, { advertising_ids: ids });
    expect(json).toEqual({ status: 'success', body: { opted_out: [] } });
  });

  it('answers an empty list for no ids and accepts every allowed role', async () => {
    const { mapper, sharer, bidder } = operator.fixture.clients;
    for (const client of [mapper, sharer, bidder]) {
      const { statusCode, json } = await operator.call(PATH, { advertising_ids: [] }, { client });
      expect(statusCode).toBe(200);
      expect(json).toEqual({ status: 'success', body: { opted_out: [] } });
    }
  });

  it.each([
    ['an envelope without JSON', undefined, 'Invalid request body'],
    ['advertising_ids missing', {}, 'Required Parameter Missing: advertising_ids'],
    ['advertising_ids null', { advertising_ids: null }, 'Required Parameter Missing: advertising_ids'],
    [
      'more ids than OPTOUT_STATUS_MAX_REQUEST_SIZE',
      { advertising_ids: ['a', 'b', 'c', 'd', 'e', 'f'] },
      'Request payload is too large',
    ],
    [
      'advertising_ids not an array (the reference fails with a 500 there)',
      { advertising_ids: 'abc' },
      'Invalid request body',
    ],
  ])('answers 400 client_error for %s', async (_case, payload, message) => {
    const { statusCode, json } = await operator.call(PATH, payload);
    expect(statusCode).toBe(400);
    expect(json).toEqual({ status: 'client_error', message });
  });

  it('answers 401 unauthorized to a generator-only client', async () => {
    const { statusCode, response } = await operator.call(
      PATH,
      { advertising_ids: [] },
      { client: operator.fixture.clients.generator },
    );
    expect(statusCode).toBe(401);
    expect(response.body).toBe('{"status":"unauthorized"}');
  });

  it('does not exist when the opt-out status API is disabled', async () => {
    const disabled = await createTestOperator({ config: { optoutStatusApiEnabled: false } });
    try {
      const { statusCode } = await disabled.call(PATH, { advertising_ids: [] });
      expect(statusCode).toBe(404);
    } finally {
      await disabled.close();
    }
  });
});
