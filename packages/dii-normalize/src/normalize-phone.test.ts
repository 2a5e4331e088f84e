import { describe, expect, it } from 'vitest';
import { DiiError } from './dii-error.js';
import { isNormalizedPhone, normalizePhone } from './normalize-phone.js';

describe('isNormalizedPhone', () => {
  it('accepts exactly 10 to 15 digits after the plus sign', () => {
    expect(isNormalizedPhone(`+${'1'.repeat(9)}`)).toBe(false);
    for (let digits = 10; digits <= 15; digits++)
      expect(isNormalizedPhone(`+${'9'.repeat(digits)}`)).toBe(true);
    expect(isNormalizedPhone(`+${'1'.repeat(16)}`)).toBe(false);
  });

  it('rejects characters just outside the ASCII digit range', () => {
    expect(isNormalizedPhone('+1234567890/')).toBe(false);
    expect(isNormalizedPhone('+1234567890:')).toBe(false);
  });

  it('rejects a number that does not start with a plus sign', () => {
    expect(isNormalizedPhone('012345678901')).toBe(false);
  });
});

describe('normalizePhone', () => {
  it('returns the input unchanged when valid', () => {
    expect(normalizePhone('+12345678901')).toBe('+12345678901');
  });

  it('throws ERR_DII_INVALID_PHONE for an invalid number', () => {
    expect(() => normalizePhone('+1 234')).toThrow(DiiError);
    expect(() => normalizePhone('+1 234')).toThrow(
      expect.objectContaining({ code: 'ERR_DII_INVALID_PHONE' }),
    );
  });
});
