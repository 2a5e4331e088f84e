import { describe, expect, it } from 'vitest';
import { EnvelopeError } from './envelope-error.js';
import { GCM_OVERHEAD_BYTES, gcmDecrypt, gcmEncrypt, gcmEncryptInto } from './gcm.js';

const key = Buffer.alloc(32, 7);
const iv = Buffer.alloc(12, 1);
const plaintext = Buffer.from('{"status":"success"}');

function decryptCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvelopeError) return error.code;
    throw error;
  }
  return undefined;
}

describe('gcmEncrypt / gcmDecrypt', () => {
  it('lays out IV, ciphertext and tag and round-trips', () => {
    const blob = gcmEncrypt(key, plaintext, iv);
    expect(blob).toHaveLength(plaintext.length + GCM_OVERHEAD_BYTES);
    expect(blob.subarray(0, 12).equals(iv)).toBe(true);
    expect(gcmDecrypt(key, blob).equals(plaintext)).toBe(true);
  });

  it('binds additional authenticated data', () => {
    const aad = Buffer.from('[1]');
    const blob = gcmEncrypt(key, plaintext, iv, aad);
    expect(gcmDecrypt(key, blob, aad).equals(plaintext)).toBe(true);
    expect(decryptCode(() => gcmDecrypt(key, blob, Buffer.from('[2]')))).toBe('ERR_ENVELOPE_DECRYPT');
    expect(decryptCode(() => gcmDecrypt(key, blob))).toBe('ERR_ENVELOPE_DECRYPT');
  });

  it('rejects a tampered byte, a wrong key and a blob shorter than IV plus tag', () => {
    const blob = gcmEncrypt(key, plaintext, iv);
    for (let i = 0; i < blob.length; i++) {
      const copy = Buffer.from(blob);
      copy[i] = (copy[i] ?? 0) ^ 0x01;
      expect(decryptCode(() => gcmDecrypt(key, copy))).toBe('ERR_ENVELOPE_DECRYPT');
    }
    expect(decryptCode(() => gcmDecrypt(Buffer.alloc(32, 8), blob))).toBe('ERR_ENVELOPE_DECRYPT');
    expect(decryptCode(() => gcmDecrypt(key, blob.subarray(0, 27)))).toBe('ERR_ENVELOPE_DECRYPT');
  });

  it('decrypts an empty plaintext', () => {
    expect(gcmDecrypt(key, gcmEncrypt(key, Buffer.alloc(0), iv))).toHaveLength(0);
  });

  it('treats a wrong key or IV length as programmer misuse', () => {
    expect(() => gcmEncrypt(Buffer.alloc(16), plaintext, iv)).toThrow(TypeError);
    expect(() => gcmEncrypt(key, plaintext, Buffer.alloc(16))).toThrow(TypeError);
    expect(() => gcmDecrypt(Buffer.alloc(24), gcmEncrypt(key, plaintext, iv))).toThrow(TypeError);
  });
});

describe('gcmEncryptInto', () => {
  it('writes at an offset and reports the length written', () => {
    const target = Buffer.alloc(5 + plaintext.length + GCM_OVERHEAD_BYTES, 0xee);
    const written = gcmEncryptInto(key, plaintext, iv, target, 5);
    expect(written).toBe(plaintext.length + GCM_OVERHEAD_BYTES);
    expect(target.subarray(0, 5).equals(Buffer.alloc(5, 0xee))).toBe(true);
    expect(target.subarray(5).equals(gcmEncrypt(key, plaintext, iv))).toBe(true);
  });

  it('refuses a target that is too small', () => {
    expect(() => gcmEncryptInto(key, plaintext, iv, Buffer.alloc(10), 0)).toThrow(RangeError);
  });
});
