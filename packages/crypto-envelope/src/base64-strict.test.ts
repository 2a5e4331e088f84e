import { describe, expect, it } from 'vitest';
import { decodeBase64Strict, decodeBase64UrlStrict } from './base64-strict.js';

describe('decodeBase64Strict', () => {
  it.each([
    ['', ''],
    ['AA', '00'],
    ['AA==', '00'],
    ['AAA', '0000'],
    ['AAA=', '0000'],
    ['AAAA', '000000'],
    ['/+CI/+6ZmQ==', 'ffe088ffee9999'],
    ['/+CI/+6ZmQ', 'ffe088ffee9999'],
    ['AB', '00'],
  ])('accepts %j as Java does', (text, bytesHex) => {
    expect(decodeBase64Strict(text)?.toString('hex')).toBe(bytesHex);
  });

  it.each([
    ['A', 'a single character'],
    ['AAAAA', 'a dangling fifth character'],
    ['AA=', 'an incomplete padding pair'],
    ['AAA==', 'one padding character too many'],
    ['AAAA=', 'padding after a complete unit'],
    ['=', 'padding alone'],
    ['==', 'two padding characters alone'],
    ['AA==AA', 'data after padding'],
    ['AA AA', 'a space'],
    ['AAAA\r\nAAAA', 'a MIME line break'],
    ['_-CI_-6ZmQ', 'the URL-safe alphabet'],
    ['AAAé', 'a non-ASCII character'],
  ])('rejects %j (%s)', (text) => {
    expect(decodeBase64Strict(text)).toBeNull();
  });

  it('reads bytes as latin1 characters', () => {
    expect(decodeBase64Strict(Buffer.from('AAA='))?.toString('hex')).toBe('0000');
    expect(decodeBase64Strict(Uint8Array.of(0x41, 0x41, 0xc3, 0xa9))).toBeNull();
  });
});

describe('decodeBase64UrlStrict', () => {
  it('decodes the URL-safe alphabet with or without padding', () => {
    expect(decodeBase64UrlStrict('_-CI_-6ZmQ')?.toString('hex')).toBe('ffe088ffee9999');
    expect(decodeBase64UrlStrict('_-CI_-6ZmQ==')?.toString('hex')).toBe('ffe088ffee9999');
    expect(decodeBase64UrlStrict(Buffer.from('_-CI_-6Z'))?.toString('hex')).toBe('ffe088ffee99');
  });

  it('rejects the standard alphabet and bad padding', () => {
    expect(decodeBase64UrlStrict('/+CI/+6ZmQ')).toBeNull();
    expect(decodeBase64UrlStrict('AA=')).toBeNull();
    expect(decodeBase64UrlStrict('A')).toBeNull();
  });
});

describe('strict base64 over bytes', () => {
  // The bytes path (indexOf + decoded length) must decide exactly like the string path (table loop).
  const pool = 'AB+/-_=az09 \n\u00e9.';
  function randomText(length: number, seed: { value: number }): string {
    let text = '';
    for (let i = 0; i < length; i++) {
      seed.value = (seed.value * 1_103_515_245 + 12_345) >>> 0;
      text += pool[seed.value % pool.length];
    }
    return text;
  }

  it('accepts and decodes exactly what the text path does, for both alphabets', () => {
    const seed = { value: 7 };
    let accepted = 0;
    for (let n = 0; n < 20_000; n++) {
      const text =
        n % 3 === 0
          ? Buffer.from(randomText(n % 13, seed), 'latin1').toString('base64')
          : randomText(n % 11, seed);
      const bytes = Buffer.from(text, 'latin1');
      const standard = decodeBase64Strict(text);
      expect(decodeBase64Strict(bytes)?.toString('hex')).toBe(standard?.toString('hex'));
      expect(decodeBase64UrlStrict(bytes)?.toString('hex')).toBe(
        decodeBase64UrlStrict(text)?.toString('hex'),
      );
      if (standard !== null) accepted++;
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});
