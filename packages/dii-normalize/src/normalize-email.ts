import { DiiError } from './dii-error.js';

const AT = 0x40;
const SPACE = 0x20;
const DOT = 0x2e;
const PLUS = 0x2b;
const UPPER_A = 0x41;
const UPPER_Z = 0x5a;
const ASCII_MAX = 0x7f;

const GMAIL = 'gmail.com';
const UPPER_RUN = /[A-Z]+/g;

function lowerAsciiOnly(text: string, hasNonAscii: boolean): string {
  // String#toLowerCase also folds non-ASCII letters (É -> é); the operator only folds A-Z.
  return hasNonAscii ? text.replace(UPPER_RUN, (run) => run.toLowerCase()) : text.toLowerCase();
}

/**
 * Normalizes an email address exactly like the UID2 operator (`InputUtil.normalizeEmailString`),
 * or returns `null` when the operator would answer `invalid identifier`.
 *
 * Rules (spec/api.md §5.1, spec/internals.md §3.1):
 * - only ASCII `A`–`Z` are lower-cased; every other character (including non-ASCII) is kept;
 * - every U+0020 space before the first `@` is dropped (tabs and other whitespace are kept);
 * - a second `@` is invalid;
 * - in the domain, trailing spaces are dropped, inner and leading ones kept;
 * - for the domain exactly `gmail.com` (after lower-casing) the local part loses every `.` and
 *   everything from the first `+`; other domains (`googlemail.com` too) keep them;
 * - an empty domain or an empty (final) local part is invalid.
 *
 * Allocation-free when the input is already normalized (the same string is returned). Safe for the
 * identity-map hot path (no exceptions, no per-character regex).
 *
 * @param input - the `email` request field as received.
 * @returns the normalized address, or `null` if invalid.
 */
export function tryNormalizeEmail(input: string): string | null {
  const length = input.length;
  let at = -1;
  let hasUpper = false;
  let hasNonAscii = false;
  let leadingSpaces = 0;
  let localHasInnerSpace = false;
  let localHasDotOrPlus = false;

  for (let i = 0; i < length; i++) {
    const c = input.charCodeAt(i);
    if (c === AT) {
      if (at >= 0) return null;
      at = i;
    } else if (c >= UPPER_A && c <= UPPER_Z) {
      hasUpper = true;
    } else if (c > ASCII_MAX) {
      hasNonAscii = true;
    } else if (at < 0) {
      if (c === SPACE) {
        if (i === leadingSpaces) leadingSpaces++;
        else localHasInnerSpace = true;
      } else if (c === DOT || c === PLUS) {
        localHasDotOrPlus = true;
      }
    }
  }
  if (at < 0) return null;

  let domainEnd = length;
  while (domainEnd > at + 1 && input.charCodeAt(domainEnd - 1) === SPACE) domainEnd--;
  if (domainEnd === at + 1) return null;

  // Lower-case the whole text once, so the common cases below end in a single slice.
  const lowered = hasUpper ? lowerAsciiOnly(input, hasNonAscii) : input;
  const isGmail = domainEnd - at - 1 === GMAIL.length && lowered.startsWith(GMAIL, at + 1);
  if (!localHasInnerSpace && !(isGmail && localHasDotOrPlus)) {
    if (leadingSpaces === at) return null;
    return leadingSpaces === 0 && domainEnd === length ? lowered : lowered.slice(leadingSpaces, domainEnd);
  }

  let local = lowered.slice(leadingSpaces, at);
  if (localHasInnerSpace) local = local.replaceAll(' ', '');
  if (isGmail) {
    const plus = local.indexOf('+');
    if (plus >= 0) local = local.slice(0, plus);
    local = local.replaceAll('.', '');
  }
  if (local.length === 0) return null;
  return `${local}@${lowered.slice(at + 1, domainEnd)}`;
}

/**
 * Throwing variant of {@link tryNormalizeEmail} (spec/api.md §5.1).
 *
 * @param input - the `email` request field as received.
 * @returns the normalized address.
 * @throws DiiError `ERR_DII_INVALID_EMAIL` when the address cannot be normalized.
 */
export function normalizeEmail(input: string): string {
  const normalized = tryNormalizeEmail(input);
  if (normalized === null) throw new DiiError('ERR_DII_INVALID_EMAIL');
  return normalized;
}
