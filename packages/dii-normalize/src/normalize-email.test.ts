import { describe, expect, it } from 'vitest';
import { DiiError } from './dii-error.js';
import { normalizeEmail, tryNormalizeEmail } from './normalize-email.js';

/** Literal character-by-character port of spec/api.md §5.1, used as an oracle. */
function referenceNormalize(input: string): string | null {
  let local = '';
  let gmailLocal = '';
  let inExtension = false;
  let domain = '';
  let pendingSpaces = '';
  let inDomain = false;
  for (const unit of input.split('')) {
    const c = unit >= 'A' && unit <= 'Z' ? unit.toLowerCase() : unit;
    if (!inDomain) {
      if (c === ' ') continue;
      if (c === '@') {
        inDomain = true;
        continue;
      }
      local += c;
      if (c === '+') inExtension = true;
      else if (c !== '.' && !inExtension) gmailLocal += c;
      continue;
    }
    if (c === '@') return null;
    if (c === ' ') {
      pendingSpaces += c;
      continue;
    }
    domain += pendingSpaces + c;
    pendingSpaces = '';
  }
  if (domain.length === 0) return null;
  const chosen = domain === 'gmail.com' ? gmailLocal : local;
  return chosen.length === 0 ? null : `${chosen}@${domain}`;
}

describe('tryNormalizeEmail', () => {
  it('returns the very same string when the input is already normalized', () => {
    const input = 'already.normal+tag@example.com';
    expect(tryNormalizeEmail(input)).toBe(input);
  });

  it('lower-cases only ASCII letters even when non-ASCII characters are present', () => {
    expect(tryNormalizeEmail('ÀBC.Ñ@ÉXAMPLE.COM')).toBe('Àbc.Ñ@Éxample.com');
    expect(tryNormalizeEmail('İI@x.com')).toBe('İi@x.com');
  });

  it('drops every space in the local part but keeps inner spaces of the domain', () => {
    expect(tryNormalizeEmail('  a b  c @ ex ample.com   ')).toBe('abc@ ex ample.com');
  });

  it('applies the gmail rule to a domain that only becomes gmail.com after lower-casing and trimming', () => {
    expect(tryNormalizeEmail(' A.B+c.d@GMAIL.com  ')).toBe('ab@gmail.com');
  });

  it('keeps dots of a gmail address with a space inside the domain', () => {
    expect(tryNormalizeEmail('a.b@gmail .com')).toBe('a.b@gmail .com');
  });

  it('rejects a domain made only of spaces', () => {
    expect(tryNormalizeEmail('a@   ')).toBeNull();
  });

  it('rejects a gmail local part that is only a plus tag', () => {
    expect(tryNormalizeEmail('+tag@gmail.com')).toBeNull();
  });

  it('agrees with a literal port of the specification on random inputs', () => {
    const alphabet = [
      'a',
      'B',
      ' ',
      '.',
      '+',
      '@',
      'g',
      'm',
      'i',
      'l',
      'c',
      'o',
      'É',
      '😊',
      '\t',
      'gmail.com',
      'GMail.Com',
    ];
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 5000; round++) {
      let input = '';
      const parts = next(8);
      for (let i = 0; i < parts; i++) input += alphabet[next(alphabet.length)];
      expect(tryNormalizeEmail(input), JSON.stringify(input)).toBe(referenceNormalize(input));
    }
  });
});

describe('normalizeEmail', () => {
  it('throws ERR_DII_INVALID_EMAIL without echoing the input', () => {
    const attempt = (): string => normalizeEmail('secret@a@b');
    expect(attempt).toThrow(DiiError);
    try {
      attempt();
    } catch (error) {
      expect((error as DiiError).code).toBe('ERR_DII_INVALID_EMAIL');
      expect((error as DiiError).message).not.toContain('secret');
      expect((error as DiiError).name).toBe('DiiError');
    }
  });
});
