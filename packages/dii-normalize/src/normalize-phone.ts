import { DiiError } from './dii-error.js';

const PLUS = 0x2b;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MIN_DIGITS = 10;
const MAX_DIGITS = 15;

/**
 * Whether a phone number is in the E.164 form the UID2 operator accepts: a leading `+` followed
 * by 10 to 15 ASCII digits `0`–`9`, nothing else (no spaces, no trimming, no other digit
 * scripts). The operator validates phones but never normalizes them (spec/api.md §5.2,
 * spec/internals.md §3.1).
 *
 * @param input - the `phone` request field as received.
 */
export function isNormalizedPhone(input: string): boolean {
  const length = input.length;
  if (length < MIN_DIGITS + 1 || length > MAX_DIGITS + 1 || input.charCodeAt(0) !== PLUS) return false;
  for (let i = 1; i < length; i++) {
    const c = input.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return false;
  }
  return true;
}

/**
 * Returns the phone number unchanged if {@link isNormalizedPhone} accepts it (spec/api.md §5.2).
 *
 * @param input - the `phone` request field as received.
 * @returns `input` itself (phones are never rewritten).
 * @throws DiiError `ERR_DII_INVALID_PHONE` when the number is not E.164 with 10–15 digits.
 */
export function normalizePhone(input: string): string {
  if (!isNormalizedPhone(input)) throw new DiiError('ERR_DII_INVALID_PHONE');
  return input;
}
