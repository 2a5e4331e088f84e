import { describe, expect, it } from 'vitest';
import { deterministicRandom } from '../test-support/test-database.js';
import { credentialPrefix, generateApiKey, randomAlphanumeric } from './credentials.js';

describe('credentials', () => {
  it('builds the key prefix from scope, kind and environment', () => {
    expect(credentialPrefix('UID2', 'C', 'local')).toBe('UID2-C-L-');
    expect(credentialPrefix('EUID', 'Y', 'integ')).toBe('EUID-Y-I-');
    expect(credentialPrefix('UID2', 'O', 'test')).toBe('UID2-O-T-');
  });

  it('lays out an API key like the reference: 6 characters, a dot, 38 characters; key id = prefix + 5', () => {
    const bytes = Buffer.from('7c25eb30c7e44791ea0fa4017ad5b18c4bfb11b5b3b45d1181132a8c74e1f6a6', 'hex');
    const { key, keyId } = generateApiKey(() => Buffer.from(bytes), 999, 'UID2', 'local');
    expect(key).toBe(
      `UID2-C-L-999-${bytes.toString('base64').slice(0, 6)}.${bytes.toString('base64').slice(6)}`,
    );
    expect(keyId).toBe(`UID2-C-L-999-${bytes.toString('base64').slice(0, 5)}`);
  });

  it('draws uniformly from [A-Za-z0-9], skipping biased bytes', () => {
    expect(randomAlphanumeric(() => Buffer.from([0, 61, 62, 250, 255, 1]), 4)).toBe('A9AB');
    expect(randomAlphanumeric(deterministicRandom(3), 10)).toMatch(/^[A-Za-z0-9]{10}$/);
  });
});
