import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CstgRequestSchema } from './cstg-schemas.js';
import {
  IdentityBucketsRequestSchema,
  IdentityMapV2RequestSchema,
  IdentityMapV3RequestSchema,
} from './identity-map-schemas.js';
import { OptOutStatusRequestSchema } from './opt-out-status-schemas.js';
import { parseBucketsRequest } from './parse-buckets-request.js';
import { parseCstgRequestJson, requireCstgCryptoFields } from './parse-cstg-request.js';
import { parseGenerateRequest, parseLogoutRequest, parseValidateRequest } from './parse-generate-request.js';
import { parseIdentityMapV2Request, parseIdentityMapV3Request } from './parse-identity-map-request.js';
import { parseOptOutStatusRequest } from './parse-opt-out-status-request.js';
import {
  TokenGenerateRequestSchema,
  TokenLogoutRequestSchema,
  TokenValidateRequestSchema,
} from './token-schemas.js';

// The zod schemas are the documented contract; the parsers are the fast path with the
// reference's error precedence. On contract-shaped input they must accept and refuse alike.

const H = 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=';

function agree(schema: z.ZodType, parse: (payload: unknown) => boolean, cases: readonly unknown[]): void {
  for (const payload of cases) {
    expect({ payload, accepted: parse(payload) }).toEqual({
      payload,
      accepted: schema.safeParse(payload).success,
    });
  }
}

const SINGLE_DII_CASES = [
  {},
  { email: 'a@b.com' },
  { email_hash: H },
  { phone: '+12345678901' },
  { phone_hash: H },
  { email: null, phone_hash: H },
  { email: 'a@b.com', email_hash: H },
  { email_hash: H, phone: '+12345678901', phone_hash: H },
  { email: null },
  { email: 5 },
  { phone: ['+12345678901'] },
  { email_hash: { h: H } },
  { email: 'a@b.com', unknown: 'ignored' },
];

describe('schemas and parsers agree', () => {
  it('on generate requests', () => {
    agree(TokenGenerateRequestSchema, (p) => parseGenerateRequest(p).ok, [
      ...SINGLE_DII_CASES,
      { email: 'a@b.com', tcf_consent_string: 'CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA' },
    ]);
  });

  it('on validate requests that carry a string token', () => {
    const cases = SINGLE_DII_CASES.map((c) => ({ ...c, token: 'A4AAAABlir8V7bV8' }));
    agree(TokenValidateRequestSchema, (p) => parseValidateRequest(p).ok, cases);
  });

  it('on logout requests', () => {
    agree(TokenLogoutRequestSchema, (p) => parseLogoutRequest(p).ok, [
      ...SINGLE_DII_CASES,
      { email: 'a@b.com', clientIp: '10.1.2.3' },
    ]);
  });

  it('on v2 identity map requests', () => {
    agree(IdentityMapV2RequestSchema, (p) => parseIdentityMapV2Request(p).ok, [
      {},
      { email: [] },
      { email: ['a@b.com'] },
      { email: [], phone: ['+12345678901'], link_id: 'x' },
      { email: ['a@b.com'], phone_hash: [H] },
      { email: 'a@b.com' },
      { phone_hash: null },
      { email: null, email_hash: [H] },
      { email: ['a@b.com', null] },
      { email_hash: [H], optout_check: 1 },
    ]);
  });

  it('on v3 identity map requests', () => {
    agree(IdentityMapV3RequestSchema, (p) => parseIdentityMapV3Request(p).ok, [
      {},
      { email: [] },
      { email_hash: null },
      { email: ['a@b.com'], email_hash: [H], phone: ['+12345678901'], phone_hash: [] },
      { email: ['a@b.com'], link_id: 'x' },
      { policy: 1 },
      { email: 'a@b.com' },
      { phone: [null] },
      { email_hash: [{}] },
    ]);
  });

  it('on bucket requests', () => {
    agree(IdentityBucketsRequestSchema, (p) => parseBucketsRequest(p).ok, [
      {},
      { since_timestamp: '2022-06-01T13:00:00' },
      { since_timestamp: null },
      { since_timestamp: 1654088400 },
      { since_timestamp: '2022-06-01T13:00:00', extra: true },
    ]);
  });

  it('on opt-out status requests', () => {
    agree(OptOutStatusRequestSchema, (p) => parseOptOutStatusRequest(p).ok, [
      {},
      { advertising_ids: [] },
      { advertising_ids: [H, H] },
      { advertising_ids: null },
      { advertising_ids: H },
      { advertising_ids: [H, null] },
      { advertising_ids: Array(5001).fill(H) },
      { advertising_ids: Array(5000).fill(H), extra: 1 },
    ]);
  });

  it('on CSTG bodies, once the operator-side required fields are counted', () => {
    const body = {
      payload: 'fp0g',
      iv: 'So5uklYc1vgycAEI',
      public_key: 'MFkw',
      timestamp: 1,
      subscription_id: 's',
    };
    const parse = (p: unknown): boolean => {
      const result = parseCstgRequestJson(p);
      return (
        result.ok && result.value.subscriptionId !== undefined && requireCstgCryptoFields(result.value).ok
      );
    };
    agree(CstgRequestSchema, parse, [
      body,
      { ...body, app_name: 'com.example' },
      { ...body, timestamp: undefined },
      { ...body, extra: 1 },
      { ...body, payload: undefined },
      { ...body, iv: null },
      { ...body, subscription_id: undefined },
      { ...body, timestamp: 'now' },
      { ...body, public_key: {} },
      [body],
    ]);
  });
});

describe('where the parsers follow the reference beyond the contract', () => {
  const cases: readonly (readonly [string, z.ZodType, unknown, (p: unknown) => boolean])[] = [
    [
      'a numeric tcf_consent_string on generate',
      TokenGenerateRequestSchema,
      { email: 'a@b.com', tcf_consent_string: 5 },
      (p) => parseGenerateRequest(p).ok,
    ],
    [
      'a validate request without token (refused later, after the DII checks)',
      TokenValidateRequestSchema,
      { email: 'a@b.com' },
      (p) => parseValidateRequest(p).ok,
    ],
    [
      'numbers in v2 map arrays',
      IdentityMapV2RequestSchema,
      { email: [1] },
      (p) => parseIdentityMapV2Request(p).ok,
    ],
    [
      'numbers in v3 map arrays',
      IdentityMapV3RequestSchema,
      { email: [1] },
      (p) => parseIdentityMapV3Request(p).ok,
    ],
    [
      'numbers in opt-out ids',
      OptOutStatusRequestSchema,
      { advertising_ids: [1] },
      (p) => parseOptOutStatusRequest(p).ok,
    ],
  ];

  it.each(cases)('accepts %s, which the schema refuses', (_name, schema, payload, parse) => {
    expect(parse(payload)).toBe(true);
    expect(schema.safeParse(payload).success).toBe(false);
  });
});
