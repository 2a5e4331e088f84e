import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';

const PATH = '/v2/identity/buckets';
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0, 0);
const DAY = 86_400_000;

describe('POST /v2/identity/buckets', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    // Fixture: buckets 2, 6, 10 and 14 rotated 10 days ago, the others 200 days ago.
    operator = await createTestOperator({
      now: () => NOW,
      prepare: (fixture) => {
        const bucket = fixture.buckets[6];
        if (bucket !== undefined) fixture.buckets[6] = { ...bucket, lastUpdatedMs: NOW - 10 * DAY + 123 };
      },
    });
  });
  afterAll(async () => operator.close());

  async function buckets(since: unknown): Promise<unknown> {
    const { statusCode, json } = await operator.call(PATH, { since_timestamp: since });
    expect(statusCode).toBe(200);
    expect((json as { status: string }).status).toBe('success');
    return (json as { body: unknown }).body;
  }

  it('answers a JSON array of the buckets rotated since the timestamp, with UTC times to the millisecond', async () => {
    expect(await buckets('2026-05-01T00:00:00')).toEqual([
      { bucket_id: 'b1000002', last_updated: '2026-05-22T12:00:00.000' },
      { bucket_id: 'b1000006', last_updated: '2026-05-22T12:00:00.123' },
      { bucket_id: 'b1000010', last_updated: '2026-05-22T12:00:00.000' },
      { bucket_id: 'b1000014', last_updated: '2026-05-22T12:00:00.000' },
    ]);
  });

  it('includes a bucket updated exactly at since_timestamp and accepts minutes-only and 9 fraction digits', async () => {
    expect(await buckets('2026-05-22T12:00:00.123')).toEqual([
      { bucket_id: 'b1000006', last_updated: '2026-05-22T12:00:00.123' },
    ]);
    expect(await buckets('2026-05-22T12:00:00.123999999')).toEqual([
      { bucket_id: 'b1000006', last_updated: '2026-05-22T12:00:00.123' },
    ]);
    expect(await buckets('2026-05-22T12:01')).toEqual([]);
    expect(await buckets('2000-01-01T00:00')).toHaveLength(16);
  });

  it.each([
    ['since_timestamp missing', {}, 'missing parameter since_timestamp'],
    ['since_timestamp null', { since_timestamp: null }, 'missing parameter since_timestamp'],
    [
      'an envelope without JSON (the reference fails with a plain 500 there)',
      undefined,
      'missing parameter since_timestamp',
    ],
    ['an integer', { since_timestamp: 1_700_000_000 }, 'invalid date, must conform to ISO 8601'],
    [
      'a time with a zone',
      { since_timestamp: '2026-05-01T00:00:00Z' },
      'invalid date, must conform to ISO 8601',
    ],
    ['a date without time', { since_timestamp: '2026-05-01' }, 'invalid date, must conform to ISO 8601'],
    [
      'an impossible date',
      { since_timestamp: '2026-02-30T00:00:00' },
      'invalid date, must conform to ISO 8601',
    ],
  ])('answers 400 client_error for %s', async (_case, payload, message) => {
    const { statusCode, json } = await operator.call(PATH, payload);
    expect(statusCode).toBe(400);
    expect(json).toEqual({ status: 'client_error', message });
  });

  it('answers 401 unauthorized without the MAPPER role', async () => {
    const { statusCode, response } = await operator.call(
      PATH,
      { since_timestamp: '2026-05-01T00:00:00' },
      { client: operator.fixture.clients.sharer },
    );
    expect(statusCode).toBe(401);
    expect(response.body).toBe('{"status":"unauthorized"}');
  });
});
