import fc from 'fast-check';
import { type FuzzCase, VALID_AUTH } from './case-types.js';
import { AUTH_VARIANTS } from './envelope-cases.js';
import { anyCodeUnit, rawValue } from './fragments.js';
import type { FuzzInputs } from './payloads.js';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** 1–3 character substitutions, a cut or an extension of a valid token text. */
function textMutation(valid: string): fc.Arbitrary<{ text: string; note: string }> {
  const chars = fc.constantFrom(...BASE64.split(''), '-', '_', '=', ' ', '.', '\u00e9');
  return fc.oneof(
    fc.array(fc.tuple(fc.nat(valid.length - 1), chars), { minLength: 1, maxLength: 3 }).map((edits) => {
      const out = valid.split('');
      for (const [at, c] of edits) out[at] = c;
      return { text: out.join(''), note: `${edits.length} char(s) replaced` };
    }),
    fc.nat(valid.length).map((at) => ({ text: valid.slice(0, at), note: `cut at ${at}` })),
    fc
      .string({ unit: fc.constantFrom(...BASE64.split('')), minLength: 1, maxLength: 8 })
      .map((more) => ({ text: valid + more, note: 'extended' })),
  );
}

/** Random base64 of `bytes` bytes whose first bytes are `head` (e.g. a real key id). */
function shaped(bytes: number, head: Buffer): fc.Arbitrary<string> {
  return fc
    .uint8Array({ minLength: bytes - head.length, maxLength: bytes - head.length })
    .map((rest) => Buffer.concat([head, rest]).toString('base64'));
}

/**
 * `/v2/token/refresh` bodies (spec/api.md §6.2): valid and mutated 388-character wrappers, random
 * wrappers under the real key id, inner-token-shaped text for the legacy path, any text; with and
 * without (valid, invalid) API keys and both content types.
 */
export function refreshCase(inputs: FuzzInputs): fc.Arbitrary<FuzzCase> {
  const wrapper = fc.constantFrom(...inputs.refreshTokens);
  const keyHead = Buffer.from(inputs.refreshTokens[0] ?? 'AAAAAAA=', 'base64').subarray(0, 5);
  const innerHead = Buffer.concat([Buffer.of(0x03, 0x70), keyHead.subarray(1, 5)]);
  const body = fc.oneof(
    { weight: 1, arbitrary: wrapper.map((text) => ({ text, note: 'valid wrapper' })) },
    { weight: 5, arbitrary: wrapper.chain(textMutation) },
    {
      weight: 2,
      arbitrary: shaped(291, keyHead).map((text) => ({ text, note: 'wrapper-shaped, real key id' })),
    },
    {
      weight: 1,
      arbitrary: shaped(291, Buffer.alloc(0)).map((text) => ({ text, note: 'random 388 chars' })),
    },
    {
      weight: 2,
      arbitrary: shaped(124, innerHead).map((text) => ({ text, note: 'inner-token-shaped, real key id' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 200 })
        .map((b) => ({ text: Buffer.concat([Buffer.of(2), b]).toString('base64'), note: 'V2-shaped' })),
    },
    {
      weight: 2,
      arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 500 }).map((text) => ({ text, note: 'any text' })),
    },
    { weight: 1, arbitrary: rawValue.map((text) => ({ text, note: 'JSON value' })) },
  );
  return fc
    .tuple(
      body,
      fc.constantFrom(undefined, VALID_AUTH, ...AUTH_VARIANTS.slice(1, 4)),
      fc.constantFrom('text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', ''),
      fc.boolean(),
    )
    .map(([{ text, note }, auth, type, noBody]): FuzzCase => ({
      family: 'refresh',
      note: `${noBody && text === '' ? 'no body' : note} auth=${auth === undefined ? 'none' : 'some'}`,
      method: 'POST',
      path: '/v2/token/refresh',
      auth,
      headers: type === '' ? {} : { 'content-type': type },
      body: noBody && text === '' ? { kind: 'none' } : { kind: 'raw', bytes: Buffer.from(text, 'utf8') },
      framing: noBody && text === '' ? 'none' : 'length',
    }));
}

/** `/v2/token/validate` with mutated, foreign-shaped and random advertising tokens (spec/api.md §6.3). */
export function tokenCase(inputs: FuzzInputs): fc.Arbitrary<FuzzCase> {
  const valid = fc.constantFrom(...inputs.advertisingTokens);
  const masterHead = Buffer.from(
    (inputs.advertisingTokens[0] ?? 'AAAAAAAA').slice(0, 8),
    'base64url',
  ).subarray(0, 6);
  const token = fc.oneof(
    { weight: 1, arbitrary: valid.map((text) => ({ text, note: 'valid token' })) },
    { weight: 5, arbitrary: valid.chain(textMutation) },
    {
      weight: 2,
      arbitrary: fc.uint8Array({ minLength: 40, maxLength: 200 }).map((b) => ({
        text: Buffer.concat([masterHead, b]).toString('base64url'),
        note: 'V4-shaped, real master key id',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 200 })
        .map((b) => ({ text: Buffer.concat([Buffer.of(3, 0x70), b]).toString('base64'), note: 'V3-shaped' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 200 })
        .map((b) => ({ text: Buffer.concat([Buffer.of(2), b]).toString('base64'), note: 'V2-shaped' })),
    },
    {
      weight: 2,
      arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 300 }).map((text) => ({ text, note: 'any text' })),
    },
  );
  const dii = fc.constantFrom('"validate@example.com"', '"user@example.com"', '"+12345678901"', 'null', '1');
  return fc.tuple(token, dii, fc.boolean()).map(([{ text, note }, email, phoneKey]) => ({
    family: 'token',
    note,
    method: 'POST',
    path: '/v2/token/validate',
    auth: VALID_AUTH,
    headers: { 'content-type': 'text/plain' },
    body: {
      kind: 'envelope',
      json: Buffer.from(
        `{"token":${JSON.stringify(text)},"${phoneKey ? 'phone' : 'email'}":${email}}`,
        'utf8',
      ),
      tsOffsetMs: 0,
      wrongSecret: false,
      mutation: undefined,
      binary: false,
    },
    framing: 'length',
  }));
}
