import { describe, expect, it } from 'vitest';
import { ApiKeyIndex, bearerKey, type ApiClient } from './api-keys.js';

// spec/internals.md §10.1: the operator test client.
const specClient: ApiClient = {
  keyId: 'UID2-C-L-999-fCXrM',
  keyHash: 'FIUDeEqA+O2hW7PXdAJI/NAnJleHX+6QU46avhal5Wy4th0ZEKvG5eoFk8CFvqxGkMFlHwGG+DWTU+ZdwiHdQg==',
  keySalt: 'RvCHAXUo/1pR3Nun5HuzcRJvlC7vT6gZMmsGPzyOONA=',
  secret: Buffer.from('DzBzbjTJcYL0swDtFs2krRNu+g1Eokm2tBU4dEuD0Wk=', 'base64'),
  roles: ['GENERATOR'],
  siteId: 999,
  disabled: false,
  serviceId: 0,
  name: 'spec',
};
const specKey = 'UID2-C-L-999-fCXrMM.fsR3mDqAXELtWWMS+xG1s7RdgRTMqdOH2qaAo=';

describe('ApiKeyIndex', () => {
  it('finds the spec test client by its key', () => {
    expect(new ApiKeyIndex([specClient]).find(specKey)?.keyId).toBe('UID2-C-L-999-fCXrM');
  });

  it('finds a key whose site id does not match any site by searching all clients', () => {
    const moved = { ...specClient, siteId: 5 };
    expect(new ApiKeyIndex([moved]).find(specKey)?.keyId).toBe(specClient.keyId);
  });

  it('returns undefined for an unknown key, also when asked again (cached miss)', () => {
    const index = new ApiKeyIndex([specClient]);
    expect(index.find(specKey.replace('fsR3', 'fsR4'))).toBeUndefined();
    expect(index.find(specKey.replace('fsR3', 'fsR4'))).toBeUndefined();
    expect(index.size).toBe(1);
  });
});

describe('bearerKey', () => {
  it('accepts any case of the prefix and trims the header', () => {
    expect(bearerKey('  BeArEr abc ')).toBe('abc');
  });

  it('rejects a missing prefix, an empty key and an absent header', () => {
    expect(bearerKey('abc')).toBeUndefined();
    expect(bearerKey('Bearer ')).toBeUndefined();
    expect(bearerKey(undefined)).toBeUndefined();
  });
});
