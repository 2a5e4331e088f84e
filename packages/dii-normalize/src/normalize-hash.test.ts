import { describe, expect, it } from 'vitest';
import { normalizeHash, tryDecodeHash, tryNormalizeHash } from './normalize-hash.js';

const VALID = 'DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs=';

describe('tryNormalizeHash', () => {
  it('accepts 44-char base64 with two padding characters and decodes 31 bytes', () => {
    const text = `${'A'.repeat(42)}==`;
    expect(tryNormalizeHash(text)).toBe(text);
    expect(tryDecodeHash(text)?.length).toBe(31);
  });

  it('rejects padding that is not at the very end', () => {
    expect(tryNormalizeHash(`${'A'.repeat(42)}=A`)).toBeNull();
    expect(tryNormalizeHash(`${'A'.repeat(41)}===`)).toBeNull();
    expect(tryNormalizeHash(`${'A'.repeat(20)}=${'A'.repeat(23)}`)).toBeNull();
  });

  it('rejects non-ASCII characters in both forms', () => {
    expect(tryNormalizeHash(`${VALID.slice(0, 43)}é`)).toBeNull();
    expect(tryNormalizeHash(`${'a'.repeat(63)}é`)).toBeNull();
    expect(tryDecodeHash(`${'a'.repeat(63)}é`)).toBeNull();
  });

  it('keeps a base64 text with non-zero unused bits as is, like the Java decoder', () => {
    const text = `${VALID.slice(0, 42)}t=`;
    expect(tryNormalizeHash(text)).toBe(text);
  });

  it('converts mixed-case hex to canonical base64', () => {
    expect(normalizeHash('0c7E6A405862E402EB76A70F8A26FC732D07C32931E9FAE9AB1582911D2E8A3b')).toBe(VALID);
  });

  it('throws ERR_DII_INVALID_HASH for other lengths', () => {
    expect(() => normalizeHash('abc')).toThrow(expect.objectContaining({ code: 'ERR_DII_INVALID_HASH' }));
  });
});
