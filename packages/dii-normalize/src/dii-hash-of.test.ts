import { describe, expect, it } from 'vitest';
import { diiHashOf, requireDiiHash } from './dii-hash-of.js';
import { hashDii, hashDiiBase64 } from './hash-dii.js';

describe('diiHashOf', () => {
  it('hashes a raw email after normalization', () => {
    expect(diiHashOf('email', 'raw', ' User@Example.com ')?.toString('base64')).toBe(
      'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=',
    );
  });

  it('treats an email_hash and a phone_hash the same way', () => {
    const text = 'EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=';
    expect(diiHashOf('email', 'hash', text)).toEqual(diiHashOf('phone', 'hash', text));
  });

  it('returns null for a value that is not a string', () => {
    expect(diiHashOf('email', 'raw', null as unknown as string)).toBeNull();
    expect(diiHashOf('phone', 'hash', 42 as unknown as string)).toBeNull();
  });
});

describe('requireDiiHash', () => {
  it('returns the identity bytes of a valid identifier', () => {
    expect(requireDiiHash('phone', 'raw', '+12345678901').toString('base64')).toBe(
      'EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=',
    );
  });

  it('throws the error code that matches the type and form', () => {
    expect(() => requireDiiHash('email', 'raw', 'nope')).toThrow(
      expect.objectContaining({ code: 'ERR_DII_INVALID_EMAIL' }),
    );
    expect(() => requireDiiHash('phone', 'raw', 'nope')).toThrow(
      expect.objectContaining({ code: 'ERR_DII_INVALID_PHONE' }),
    );
    expect(() => requireDiiHash('email', 'hash', 'nope')).toThrow(
      expect.objectContaining({ code: 'ERR_DII_INVALID_HASH' }),
    );
  });
});

describe('hashDii', () => {
  it('encodes an unpaired surrogate as a question mark like Java getBytes(UTF_8)', () => {
    expect(hashDii('a\uD800b@x.com')).toEqual(hashDii('a?b@x.com'));
    expect(hashDiiBase64('a\uDC00@x.com\uD83D')).toBe(hashDiiBase64('a?@x.com?'));
  });

  it('keeps a well-formed surrogate pair as its 4-byte UTF-8 sequence', () => {
    expect(hashDii('😊a@x.com')).not.toEqual(hashDii('??a@x.com'));
    expect(hashDii('😊\uD800@x.com')).toEqual(hashDii('😊?@x.com'));
  });
});
