import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DII_FIELDS } from './dii-field.js';
import { ErrorMessage, mustBeAnArray } from './error-messages.js';
import { parseBucketsRequest } from './parse-buckets-request.js';
import {
  parseCstgPayload,
  parseCstgRequest,
  parseCstgRequestJson,
  requireCstgCryptoFields,
} from './parse-cstg-request.js';
import { parseGenerateRequest, parseLogoutRequest, parseValidateRequest } from './parse-generate-request.js';
import { parseIdentityMapV2Request, parseIdentityMapV3Request } from './parse-identity-map-request.js';
import { parseOptOutStatusRequest } from './parse-opt-out-status-request.js';
import type { ParseResult } from './parse-result.js';

// Fuzz tests of issue 7: every request parser returns a ParseResult (never throws) for ANY JSON
// value, and every failure carries HTTP 400, a spec status and one of the spec's exact messages.

const SEED = 7007;
const RUNS = 2000;
const ALLOWED_MESSAGES = new Set<string>([...Object.values(ErrorMessage), ...DII_FIELDS.map(mustBeAnArray)]);

type Parser = (payload: unknown, phoneSupport: boolean) => ParseResult<unknown>;
const PARSERS: Record<string, Parser> = {
  generate: (p, phoneSupport) => parseGenerateRequest(p, { phoneSupport }),
  validate: (p, phoneSupport) => parseValidateRequest(p, { phoneSupport }),
  logout: (p, phoneSupport) => parseLogoutRequest(p, { phoneSupport }),
  identityMapV2: (p, phoneSupport) => parseIdentityMapV2Request(p, { phoneSupport }),
  identityMapV3: (p, phoneSupport) => parseIdentityMapV3Request(p, { phoneSupport }),
  buckets: (p) => parseBucketsRequest(p),
  optOutStatus: (p) => parseOptOutStatusRequest(p, { maxItems: 50 }),
  cstgJson: (p) => parseCstgRequestJson(p),
};

function expectSpecAnswer(result: ParseResult<unknown>): void {
  if (result.ok) return;
  expect(result.httpStatus).toBe(400);
  expect(['client_error', 'invalid_token']).toContain(result.status);
  expect(ALLOWED_MESSAGES.has(result.message)).toBe(true);
}

/** Any JSON value, biased towards objects that use the keys the parsers look at. */
const knownKey = fc.constantFrom(
  ...DII_FIELDS,
  'token',
  'tcf_consent_string',
  'clientIp',
  'link_id',
  'since_timestamp',
  'advertising_ids',
  'payload',
  'iv',
  'public_key',
  'timestamp',
  'subscription_id',
  'app_name',
  'policy',
  '__proto__',
  'constructor',
);
const leaf = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.double(),
  fc.constantFrom(0, -0, 1e308, -1e308, 2 ** 53 + 1, 2 ** 63, true, false, null, '', '[]', '{}'),
);
const { value: anyJson } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 8 }),
    fc.dictionary(fc.oneof(knownKey, fc.string()), tie('value'), { maxKeys: 6 }),
  ),
}));
const requestLike = fc.oneof(anyJson, fc.dictionary(knownKey, anyJson, { maxKeys: 5 }), fc.jsonValue());

describe('request parsers under fuzzing', () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`${name} answers any JSON value with a result, failures carrying a spec message`, () => {
      fc.assert(
        fc.property(requestLike, fc.boolean(), (payload, phoneSupport) => {
          expectSpecAnswer(parse(payload, phoneSupport));
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }

  it('parseCstgRequest answers any body bytes or text with a result', () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      requestLike.map((v) => JSON.stringify(v) ?? ''),
    );
    fc.assert(
      fc.property(body, (text) => {
        const result = parseCstgRequest(text);
        expectSpecAnswer(result);
        if (result.ok) expectSpecAnswer(requireCstgCryptoFields(result.value));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('parseCstgPayload answers any decrypted object with a result', () => {
    fc.assert(
      fc.property(fc.dictionary(knownKey, anyJson, { maxKeys: 4 }), fc.boolean(), (json, phoneSupport) => {
        expectSpecAnswer(parseCstgPayload(json, { phoneSupport }));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

/**
 * Regression (issue 7): a value nested deeper than about 4,200 levels (an ~8 KB body, well under
 * the 1 MiB limit) in a field the parsers read "as text" (`tcf_consent_string`, `token`,
 * `clientIp`, `link_id`, a v2 map or opt-out status array element) used to overflow
 * `JSON.stringify`'s stack, and the operator answered 500.
 */
describe('deeply nested values', () => {
  const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`) as unknown;
  const cases: [string, () => ParseResult<unknown>][] = [
    ['generate tcf_consent_string', () => parseGenerateRequest({ email: 'a@b.c', tcf_consent_string: deep })],
    ['validate token', () => parseValidateRequest({ email: 'a@b.c', token: deep })],
    ['logout clientIp', () => parseLogoutRequest({ email: 'a@b.c', clientIp: deep })],
    ['identity map v2 element', () => parseIdentityMapV2Request({ email: [deep] })],
    ['identity map v2 link_id', () => parseIdentityMapV2Request({ email: ['a@b.c'], link_id: deep })],
    ['opt-out status element', () => parseOptOutStatusRequest({ advertising_ids: [deep] })],
  ];
  for (const [name, run] of cases) {
    it(`answers a 20,000-level nested ${name} with a result instead of throwing`, () => {
      expectSpecAnswer(run());
    });
  }

  it('already answers deep nesting in v3 map, buckets and CSTG bodies', () => {
    expectSpecAnswer(parseIdentityMapV3Request({ email: [deep] }));
    expectSpecAnswer(parseBucketsRequest({ since_timestamp: deep }));
    expectSpecAnswer(parseCstgRequestJson({ payload: deep }));
  });
});
