import { describe, expect, it } from 'vitest';
import {
  KeyBidstreamResponseSchema,
  KeyLatestResponseSchema,
  KeyRequestSchema,
  KeySharingResponseSchema,
  MASTER_KEYSET_ID_FOR_SDKS,
} from './key-schemas.js';

const KEY = {
  id: 101,
  created: 1622691044,
  activates: 1687635529,
  expires: 4088629662,
  secret: 'vPdQIoN1nTwXIQoH4/GcHOAct7ymyrGUKXNQhgmq+E8=',
};
const SHARING = {
  caller_site_id: 123,
  master_keyset_id: 9999999,
  token_expiry_seconds: '2592000',
  identity_scope: 'UID2',
  allow_clock_skew_seconds: 1800,
  keys: [
    { ...KEY, keyset_id: 9999999 },
    { ...KEY, id: 201 },
  ],
};

describe('key schemas', () => {
  it('accepts an empty or any request payload', () => {
    expect(KeyRequestSchema.safeParse(null).success).toBe(true);
    expect(KeyRequestSchema.safeParse({ anything: 1 }).success).toBe(true);
  });

  it('accepts a sharing body without the optional fields', () => {
    expect(MASTER_KEYSET_ID_FOR_SDKS).toBe(9999999);
    expect(KeySharingResponseSchema.safeParse({ status: 'success', body: SHARING }).success).toBe(true);
  });

  it.each([
    ['a numeric token_expiry_seconds', { token_expiry_seconds: 2592000 }],
    ['master_keyset_id -1', { master_keyset_id: -1 }],
    ['an unknown scope', { identity_scope: 'uid2' }],
    ['a key with site_id', { keys: [{ ...KEY, site_id: 1 }] }],
    ['a key without secret', { keys: [{ id: 1, created: 1, activates: 1, expires: 1 }] }],
  ])('refuses a sharing body with %s', (_name, change) => {
    expect(
      KeySharingResponseSchema.safeParse({ status: 'success', body: { ...SHARING, ...change } }).success,
    ).toBe(false);
  });

  it('refuses keyset_id in bidstream keys', () => {
    const body = {
      max_bidstream_lifetime_seconds: 3610,
      identity_scope: 'EUID',
      allow_clock_skew_seconds: 1800,
      keys: [KEY],
    };
    expect(KeyBidstreamResponseSchema.safeParse({ status: 'success', body }).success).toBe(true);
    const withKeyset = { ...body, keys: [{ ...KEY, keyset_id: 1 }] };
    expect(KeyBidstreamResponseSchema.safeParse({ status: 'success', body: withKeyset }).success).toBe(false);
  });

  it('answers key/latest with an array of keys carrying site_id', () => {
    expect(
      KeyLatestResponseSchema.safeParse({ status: 'success', body: [{ ...KEY, site_id: -1 }] }).success,
    ).toBe(true);
    expect(KeyLatestResponseSchema.safeParse({ status: 'success', body: [KEY] }).success).toBe(false);
  });
});
