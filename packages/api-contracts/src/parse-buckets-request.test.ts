import { describe, expect, it } from 'vitest';
import { parseBucketsRequest } from './parse-buckets-request.js';

describe('parseBucketsRequest', () => {
  it('returns since_timestamp as sent and ignores other keys', () => {
    expect(parseBucketsRequest({ since_timestamp: '2022-06-01T13:00:00', other: 1 })).toEqual({
      ok: true,
      value: { sinceTimestamp: '2022-06-01T13:00:00' },
    });
  });

  it.each([
    ['absent', {}],
    ['null', { since_timestamp: null }],
    ['a null payload (500 in the reference)', null],
  ])('answers "missing parameter since_timestamp" when it is %s', (_name, payload) => {
    expect(parseBucketsRequest(payload)).toEqual({
      ok: false,
      status: 'client_error',
      httpStatus: 400,
      message: 'missing parameter since_timestamp',
    });
  });

  it.each([
    ['an integer', 1654088400],
    ['a boolean', true],
    ['an object', { date: '2022-06-01' }],
  ])('answers the ISO 8601 message when it is %s', (_name, since) => {
    expect(parseBucketsRequest({ since_timestamp: since })).toMatchObject({
      ok: false,
      message: 'invalid date, must conform to ISO 8601',
    });
  });
});
