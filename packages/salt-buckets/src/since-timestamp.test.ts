import { describe, expect, it } from 'vitest';
import { SaltError } from './salt-error.js';
import { formatLastUpdated, parseSinceTimestamp, tryParseSinceTimestamp } from './since-timestamp.js';

describe('tryParseSinceTimestamp', () => {
  it('reads local date-times as UTC with optional seconds and fractions', () => {
    expect(tryParseSinceTimestamp('2022-06-01T13:00:00')).toBe(Date.UTC(2022, 5, 1, 13));
    expect(tryParseSinceTimestamp('2022-06-01T13:00')).toBe(Date.UTC(2022, 5, 1, 13));
    expect(tryParseSinceTimestamp('2022-06-01t13:00:05.5')).toBe(Date.UTC(2022, 5, 1, 13, 0, 5, 500));
    expect(tryParseSinceTimestamp('2022-06-01T13:00:05.123456789')).toBe(Date.UTC(2022, 5, 1, 13, 0, 5, 123));
    expect(tryParseSinceTimestamp('2024-02-29T23:59:59.999')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(tryParseSinceTimestamp('1969-12-31T23:59:59.999')).toBe(-1);
    expect(tryParseSinceTimestamp('0001-01-01T00:00')).toBe(-62_135_596_800_000);
    expect(tryParseSinceTimestamp('+10000-01-01T00:00')).toBe(253_402_300_800_000);
    expect(tryParseSinceTimestamp('-0001-12-31T00:00')).toBe(-62_167_305_600_000);
  });

  it('rejects offsets, Z, date-only values, integers and impossible fields', () => {
    for (const text of [
      '2022-06-01T13:00:00Z',
      '2022-06-01T13:00:00+01:00',
      '2022-06-01',
      '1654088400',
      '2022-06-01 13:00:00',
      '2022-06-01T13',
      '2022-6-01T13:00',
      '2022-06-01T13:00:00.',
      '2022-06-01T13:00:00.1234567890',
      '2023-02-29T00:00',
      '2022-04-31T00:00',
      '2022-13-01T00:00',
      '2022-00-01T00:00',
      '2022-01-00T00:00',
      '2022-06-01T24:00',
      '2022-06-01T23:60',
      '2022-06-01T23:59:60',
      '+2022-06-01T00:00',
      '+999999999-12-31T00:00',
      '',
    ]) {
      expect(tryParseSinceTimestamp(text), text).toBeNull();
    }
  });
});

describe('parseSinceTimestamp', () => {
  it('throws ERR_SALT_INVALID_TIMESTAMP with the operator message', () => {
    expect(() => parseSinceTimestamp('2022-06-01')).toThrow(SaltError);
    expect(() => parseSinceTimestamp(20220601 as unknown as string)).toThrow(
      'invalid date, must conform to ISO 8601',
    );
    expect(parseSinceTimestamp('2000-01-01T00:00')).toBe(946_684_800_000);
  });
});

describe('formatLastUpdated', () => {
  it('always writes three fraction digits and no zone', () => {
    expect(formatLastUpdated(Date.UTC(2024, 0, 1))).toBe('2024-01-01T00:00:00.000');
    expect(formatLastUpdated(1_806_364_800_001)).toBe('2027-03-30T00:00:00.001');
  });

  it('writes years outside 1..9999 like the Java yyyy pattern', () => {
    expect(formatLastUpdated(253_402_300_800_000)).toBe('+10000-01-01T00:00:00.000');
    expect(formatLastUpdated(-62_135_596_800_001)).toBe('0001-12-31T23:59:59.999');
  });

  it('round-trips with the since_timestamp parser', () => {
    for (const ms of [0, 1_806_364_800_001, 1_700_000_123_456]) {
      expect(parseSinceTimestamp(formatLastUpdated(ms))).toBe(ms);
    }
  });
});
