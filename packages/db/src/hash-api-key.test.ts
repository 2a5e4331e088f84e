import { describe, expect, it } from 'vitest';
import { hashApiKey } from './hash-api-key.js';

// spec/internals.md §10.1, "Client key hashing" (operator test clients.json, verified).
const KEY = 'UID2-C-L-999-fCXrMM.fsR3mDqAXELtWWMS+xG1s7RdgRTMqdOH2qaAo=';
const SALT = 'RvCHAXUo/1pR3Nun5HuzcRJvlC7vT6gZMmsGPzyOONA=';
const HASH = 'FIUDeEqA+O2hW7PXdAJI/NAnJleHX+6QU46avhal5Wy4th0ZEKvG5eoFk8CFvqxGkMFlHwGG+DWTU+ZdwiHdQg==';

describe('hashApiKey', () => {
  it('matches the spec vector for a base64 salt', () => {
    expect(hashApiKey(KEY, SALT)).toBe(HASH);
  });

  it('accepts the salt as raw bytes', () => {
    expect(hashApiKey(KEY, Buffer.from(SALT, 'base64'))).toBe(HASH);
  });

  it('gives a different hash for a different salt', () => {
    expect(hashApiKey(KEY, Buffer.alloc(32))).not.toBe(HASH);
  });
});
