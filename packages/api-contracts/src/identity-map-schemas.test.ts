import { describe, expect, it } from 'vitest';
import {
  IdentityBucketsRequestSchema,
  IdentityBucketsResponseSchema,
  IdentityMapV2RequestSchema,
  IdentityMapV2ResponseSchema,
  IdentityMapV3ItemSchema,
  IdentityMapV3RequestSchema,
  IdentityMapV3ResponseSchema,
} from './identity-map-schemas.js';

const U = 'ICALImfE94kkoCsBn79kNqDk485MeuvZ3bHUdsmPcKIf';
const P = 'AdAxuUeDjYXZrlWmDK7cV3bT1gYN9xc/qBKpSKj7kPoh';

describe('identity map v2 schemas', () => {
  it('accepts one non-empty array with empty ones alongside and ignores link_id', () => {
    expect(
      IdentityMapV2RequestSchema.safeParse({ email: [], phone: ['+12345678901'], link_id: 'x' }).success,
    ).toBe(true);
    expect(IdentityMapV2RequestSchema.safeParse({ email: [] }).success).toBe(true);
  });

  it.each([[{}], [{ email: ['a'], phone: ['b'] }], [{ email: 'a' }], [{ email: [1] }]])(
    'refuses %j',
    (body) => {
      expect(IdentityMapV2RequestSchema.safeParse(body).success).toBe(false);
    },
  );

  it('accepts the response with and without unmapped', () => {
    const mapped = [{ identifier: 'user@example.com', advertising_id: U, bucket_id: 'a30od4mNRd' }];
    expect(IdentityMapV2ResponseSchema.safeParse({ status: 'success', body: { mapped } }).success).toBe(true);
    const unmapped = [{ identifier: 'bad', reason: 'invalid identifier' }];
    expect(
      IdentityMapV2ResponseSchema.safeParse({ status: 'success', body: { mapped: [], unmapped } }).success,
    ).toBe(true);
  });

  it('refuses an empty unmapped array, which the operator must omit', () => {
    expect(
      IdentityMapV2ResponseSchema.safeParse({ status: 'success', body: { mapped: [], unmapped: [] } })
        .success,
    ).toBe(false);
  });
});

describe('identity map v3 schemas', () => {
  it('accepts mixed arrays and null values', () => {
    expect(IdentityMapV3RequestSchema.safeParse({ email: ['a@b.com'], phone_hash: null }).success).toBe(true);
  });

  it.each([[{}], [{ email: ['a'], link_id: 'x' }], [{ email: [null] }], [{ email: 'a' }]])(
    'refuses %j',
    (body) => {
      expect(IdentityMapV3RequestSchema.safeParse(body).success).toBe(false);
    },
  );

  it('requires p to be present, possibly null, in mapped items', () => {
    expect(IdentityMapV3ItemSchema.safeParse({ u: U, p: null, r: 1767225600 }).success).toBe(true);
    expect(IdentityMapV3ItemSchema.safeParse({ u: U, p: P, r: 1767225600 }).success).toBe(true);
    expect(IdentityMapV3ItemSchema.safeParse({ u: U, r: 1767225600 }).success).toBe(false);
    expect(IdentityMapV3ItemSchema.safeParse({ u: U, p: null, r: 1.5 }).success).toBe(false);
    expect(IdentityMapV3ItemSchema.safeParse({ e: 'optout' }).success).toBe(true);
    expect(IdentityMapV3ItemSchema.safeParse({ e: 'unknown' }).success).toBe(false);
  });

  it('requires all four result arrays', () => {
    const body = {
      email: [{ u: U, p: null, r: 1767225600 }],
      email_hash: [],
      phone: [{ e: 'optout' }],
      phone_hash: [],
    };
    expect(IdentityMapV3ResponseSchema.safeParse({ status: 'success', body }).success).toBe(true);
    const { phone_hash: _dropped, ...three } = body;
    expect(IdentityMapV3ResponseSchema.safeParse({ status: 'success', body: three }).success).toBe(false);
  });
});

describe('identity buckets schemas', () => {
  it('takes since_timestamp as a string', () => {
    expect(IdentityBucketsRequestSchema.safeParse({ since_timestamp: '2022-06-01T13:00:00' }).success).toBe(
      true,
    );
    expect(IdentityBucketsRequestSchema.safeParse({ since_timestamp: 1654088400 }).success).toBe(false);
  });

  it('answers an array of buckets with millisecond local times', () => {
    const body = [{ bucket_id: 'a30od4mNRd', last_updated: '2024-01-01T00:00:00.000' }];
    expect(IdentityBucketsResponseSchema.safeParse({ status: 'success', body }).success).toBe(true);
    const zoned = [{ bucket_id: 'a30od4mNRd', last_updated: '2024-01-01T00:00:00.000Z' }];
    expect(IdentityBucketsResponseSchema.safeParse({ status: 'success', body: zoned }).success).toBe(false);
  });
});
