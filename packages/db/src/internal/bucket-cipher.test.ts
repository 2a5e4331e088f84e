import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BucketCipher } from './bucket-cipher.js';

describe('BucketCipher', () => {
  const cipher = new BucketCipher(Buffer.alloc(32, 1));
  const nonces = Buffer.concat([Buffer.alloc(12, 0xa1), Buffer.alloc(12, 0xb2)]);
  const data = Buffer.from(Array.from({ length: 48 }, (_, i) => i));

  it('is AES-256-CTR per row: the same bytes as node:crypto aes-256-ctr with nonce ‖ counter 0', () => {
    const out = cipher.apply(nonces, data, [16, 32]);
    const key = (cipher as unknown as { key: Buffer }).key;
    const rows = [
      [nonces.subarray(0, 12), data.subarray(0, 16)],
      [nonces.subarray(12), data.subarray(16)],
    ] as const;
    const expected = Buffer.concat(
      rows.map(([nonce, row]) =>
        createCipheriv('aes-256-ctr', key, Buffer.concat([nonce, Buffer.alloc(4)])).update(row),
      ),
    );
    expect(out).toEqual(expected);
  });

  it('decrypts what it encrypts and uses a different keystream per nonce', () => {
    const encrypted = cipher.apply(nonces, data, [16, 32]);
    expect(cipher.apply(nonces, encrypted, [16, 32])).toEqual(data);
    expect(encrypted.subarray(0, 16)).not.toEqual(
      cipher.apply(nonces.subarray(12), data.subarray(0, 16), [16]),
    );
  });

  it('derives its key from the KEK', () => {
    const other = new BucketCipher(Buffer.alloc(32, 2));
    expect(other.apply(nonces, data, [16, 32])).not.toEqual(cipher.apply(nonces, data, [16, 32]));
  });

  it('rejects rows that are not whole blocks or do not match the data', () => {
    expect(() => cipher.apply(nonces, data, [8, 40])).toThrow(TypeError);
    expect(() => cipher.apply(nonces, data, [16, 16])).toThrow(TypeError);
    expect(() => cipher.apply(nonces.subarray(0, 12), data, [16, 32])).toThrow(TypeError);
  });
});
