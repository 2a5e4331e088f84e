import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SaltError } from './salt-error.js';
import { formatLastUpdated, parseSinceTimestamp, tryParseSinceTimestamp } from './since-timestamp.js';

// Fuzz tests of issue 7: `since_timestamp` parsing returns epoch ms or null (throwing variant:
// SaltError ERR_SALT_INVALID_TIMESTAMP) for ANY string, and round-trips every formatted instant.

const SEED = 7007;
const RUNS = 3000;

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const dateish = fc.string({
  unit: fc.oneof(fc.constantFrom(...'0123456789-+:.Tt Z'.split('')), anyCodeUnit),
  maxLength: 40,
});
/** Structurally plausible date-times with out-of-range fields (month 13, Feb 30, hour 24, …). */
const shaped = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')),
      fc.constantFrom('+999999999', '-999999999', '+10000'),
    ),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
    fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: undefined }),
  )
  .map(([y, mo, d, h, mi, s, f]) => {
    const two = (n: number) => String(n).padStart(2, '0');
    const seconds = s === undefined ? '' : `:${two(s)}${f === undefined ? '' : `.${f}`}`;
    return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}${seconds}`;
  });

describe('since_timestamp parsing under fuzzing', () => {
  it('returns a safe integer or null for any text, and the throwing form agrees', () => {
    fc.assert(
      fc.property(fc.oneof(dateish, shaped), (text) => {
        const ms = tryParseSinceTimestamp(text);
        expect(ms === null || Number.isSafeInteger(ms)).toBe(true);
        try {
          expect(parseSinceTimestamp(text)).toBe(ms);
        } catch (error) {
          expect(error).toBeInstanceOf(SaltError);
          expect((error as SaltError).code).toBe('ERR_SALT_INVALID_TIMESTAMP');
          expect(ms).toBeNull();
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('parses back every instant it formats, years 1 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), (ms) => {
        expect(tryParseSinceTimestamp(formatLastUpdated(ms))).toBe(ms);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('rejects non-string values with the coded error', () => {
    for (const value of [null, undefined, 1_700_000_000, {}, []]) {
      expect(() => parseSinceTimestamp(value as string)).toThrow(SaltError);
    }
  });
});
