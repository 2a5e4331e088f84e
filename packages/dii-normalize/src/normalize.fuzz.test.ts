import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diiHashOf, requireDiiHash } from './dii-hash-of.js';
import { DiiError } from './dii-error.js';
import { hashDii } from './hash-dii.js';
import { normalizeEmail, tryNormalizeEmail } from './normalize-email.js';
import { normalizeHash, tryDecodeHash, tryNormalizeHash } from './normalize-hash.js';
import { isNormalizedPhone, normalizePhone } from './normalize-phone.js';

// Fuzz tests of issue 7: normalization and hash-input decoding return a value (or null) or throw a
// DiiError for ANY string, lone surrogates and huge inputs included. Seeded and bounded.

const SEED = 7007;
const RUNS = 3000;

/** Any UTF-16 code unit, lone surrogates included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
/** Text biased towards the characters the normalizers branch on. */
const emailish = fc.string({
  unit: fc.oneof(
    anyCodeUnit,
    fc.constantFrom('@', '.', '+', ' ', 'A', 'g', 'gmail.com', '\t', '\u00a0', '😊'),
  ),
  maxLength: 80,
});
const phoneish = fc.string({
  unit: fc.oneof(fc.constantFrom('+', '0', '9', ' ', '-'), anyCodeUnit),
  maxLength: 20,
});
const hashish = fc.oneof(
  fc.string({ unit: anyCodeUnit, minLength: 44, maxLength: 44 }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFg'.split('')), minLength: 64, maxLength: 64 }),
  fc.uint8Array({ minLength: 30, maxLength: 34 }).map((b) => Buffer.from(b).toString('base64')),
  fc.string({ unit: anyCodeUnit, maxLength: 100 }),
);

/** Runs `run`; it may return anything, and the only error it may throw is a DiiError. */
function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (!(error instanceof DiiError)) throw error;
    return error.code;
  }
}

describe('dii-normalize under fuzzing', () => {
  it('normalizes or rejects any email-like text, and the throwing and null forms agree', () => {
    fc.assert(
      fc.property(emailish, (text) => {
        const normalized = tryNormalizeEmail(text);
        expect(codeOf(() => normalizeEmail(text))).toBe(normalized === null ? 'ERR_DII_INVALID_EMAIL' : 'ok');
        if (normalized !== null) {
          expect(tryNormalizeEmail(normalized)).toBe(normalized);
          expect(hashDii(normalized)).toHaveLength(32);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('validates or rejects any phone-like text with ERR_DII_INVALID_PHONE only', () => {
    fc.assert(
      fc.property(phoneish, (text) => {
        expect(codeOf(() => normalizePhone(text))).toBe(
          isNormalizedPhone(text) ? 'ok' : 'ERR_DII_INVALID_PHONE',
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('decodes or rejects any hash-like text with ERR_DII_INVALID_HASH only', () => {
    fc.assert(
      fc.property(hashish, (text) => {
        const normalized = tryNormalizeHash(text);
        expect(codeOf(() => normalizeHash(text))).toBe(normalized === null ? 'ERR_DII_INVALID_HASH' : 'ok');
        expect(tryDecodeHash(text) === null).toBe(normalized === null);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('diiHashOf never throws and requireDiiHash throws only DiiError, for any type, form and value', () => {
    const anyValue = fc.oneof(emailish, phoneish, hashish, fc.anything());
    fc.assert(
      fc.property(
        fc.constantFrom('email', 'phone'),
        fc.constantFrom('raw', 'hash'),
        anyValue,
        (type, form, value) => {
          const bytes = diiHashOf(type, form, value as string);
          expect(bytes === null || Buffer.isBuffer(bytes)).toBe(true);
          expect(codeOf(() => requireDiiHash(type, form, value as string))).toMatch(
            /^(ok|ERR_DII_INVALID_(EMAIL|PHONE|HASH))$/,
          );
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('handles a 1 MiB identifier without throwing', () => {
    const huge = `${'a'.repeat(1 << 20)}@example.com`;
    expect(tryNormalizeEmail(huge)).toHaveLength(huge.length);
    expect(diiHashOf('phone', 'raw', `+${'1'.repeat(1 << 20)}`)).toBeNull();
    expect(diiHashOf('email', 'hash', 'A'.repeat(1 << 20))).toBeNull();
  });
});
