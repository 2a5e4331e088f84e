import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DiiError,
  diiHashOf,
  hashDii,
  hashDiiBase64,
  hashDiiHex,
  isNormalizedPhone,
  normalizeEmail,
  normalizeHash,
  normalizePhone,
  tryDecodeHash,
  tryNormalizeEmail,
  tryNormalizeHash,
} from './index.js';
import type { DiiInputForm, IdentityType } from './index.js';

interface NormalizationVector {
  title: string;
  input: { identityType: IdentityType; inputForm: DiiInputForm; value: string };
  expected: {
    valid: boolean;
    normalized?: string;
    sha256Base64?: string;
    sha256Hex?: string;
    identityBytesHex?: string;
    identityBytesLength?: number;
  };
}

const file = JSON.parse(
  readFileSync(new URL('../test-vectors/normalization.json', import.meta.url), 'utf8'),
) as {
  vectors: NormalizationVector[];
};
const rawEmail = file.vectors.filter((v) => v.input.identityType === 'email' && v.input.inputForm === 'raw');
const rawPhone = file.vectors.filter((v) => v.input.identityType === 'phone' && v.input.inputForm === 'raw');
const hashes = file.vectors.filter((v) => v.input.inputForm === 'hash');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DiiError) return error.code;
    throw error;
  }
  return undefined;
}

describe('normalization.json vectors', () => {
  it('covers every vector of the file', () => {
    expect(rawEmail.length + rawPhone.length + hashes.length).toBe(file.vectors.length);
    expect(file.vectors.length).toBe(136);
  });

  it.each(rawEmail.map((v) => [v.title, v] as const))('email %s', (_title, v) => {
    const { value } = v.input;
    if (!v.expected.valid) {
      expect(tryNormalizeEmail(value)).toBeNull();
      expect(codeOf(() => normalizeEmail(value))).toBe('ERR_DII_INVALID_EMAIL');
      expect(diiHashOf('email', 'raw', value)).toBeNull();
      return;
    }
    const normalized = v.expected.normalized!;
    expect(tryNormalizeEmail(value)).toBe(normalized);
    expect(normalizeEmail(value)).toBe(normalized);
    expect(tryNormalizeEmail(normalized)).toBe(normalized);
    expect(hashDiiBase64(normalized)).toBe(v.expected.sha256Base64);
    expect(hashDiiHex(normalized)).toBe(v.expected.sha256Hex);
    expect(hashDii(normalized).toString('hex')).toBe(v.expected.sha256Hex);
    expect(diiHashOf('email', 'raw', value)?.toString('base64')).toBe(v.expected.sha256Base64);
  });

  it.each(rawPhone.map((v) => [v.title, v] as const))('phone %s', (_title, v) => {
    const { value } = v.input;
    expect(isNormalizedPhone(value)).toBe(v.expected.valid);
    if (!v.expected.valid) {
      expect(codeOf(() => normalizePhone(value))).toBe('ERR_DII_INVALID_PHONE');
      expect(diiHashOf('phone', 'raw', value)).toBeNull();
      return;
    }
    expect(normalizePhone(value)).toBe(v.expected.normalized);
    expect(hashDiiBase64(value)).toBe(v.expected.sha256Base64);
    expect(hashDiiHex(value)).toBe(v.expected.sha256Hex);
    expect(diiHashOf('phone', 'raw', value)?.toString('hex')).toBe(v.expected.sha256Hex);
  });

  it.each(hashes.map((v) => [v.title, v] as const))('hash input %s', (_title, v) => {
    const { value, identityType } = v.input;
    if (!v.expected.valid) {
      expect(tryNormalizeHash(value)).toBeNull();
      expect(tryDecodeHash(value)).toBeNull();
      expect(codeOf(() => normalizeHash(value))).toBe('ERR_DII_INVALID_HASH');
      expect(diiHashOf(identityType, 'hash', value)).toBeNull();
      return;
    }
    expect(tryNormalizeHash(value)).toBe(v.expected.normalized);
    expect(normalizeHash(value)).toBe(v.expected.normalized);
    const bytes = diiHashOf(identityType, 'hash', value);
    expect(bytes?.toString('hex')).toBe(v.expected.identityBytesHex);
    expect(bytes?.length).toBe(v.expected.identityBytesLength);
    expect(tryDecodeHash(value)?.toString('hex')).toBe(v.expected.identityBytesHex);
  });
});
