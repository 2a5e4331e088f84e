import fc from 'fast-check';
import { type BodySpec, type EnvelopeMutation, type FuzzCase, VALID_AUTH } from './case-types.js';
import { anyCodeUnit } from './fragments.js';
import { ENCRYPTED_PATHS, type FuzzInputs, payloadFor } from './payloads.js';

/**
 * Logout is drawn 1/3 as often as the other endpoints: on the embedded database each recorded
 * opt-out is a synchronous PGlite commit (tens of ms) that holds the event loop.
 */
const encryptedPath = fc.oneof(
  { weight: 27, arbitrary: fc.constantFrom(...ENCRYPTED_PATHS.filter((p) => p !== '/v2/token/logout')) },
  { weight: 1, arbitrary: fc.constant('/v2/token/logout') },
);
const CONTENT_TYPES = ['text/plain', 'application/octet-stream', ''];

function envelopeCase(
  path: string,
  json: Buffer | null,
  note: string,
  extra: Partial<Extract<BodySpec, { kind: 'envelope' }>> = {},
): fc.Arbitrary<FuzzCase> {
  return fc.boolean().map((binary) => ({
    family: 'json',
    note,
    method: 'POST',
    path,
    auth: VALID_AUTH,
    headers: binary ? { 'content-type': 'application/octet-stream' } : { 'content-type': 'text/plain' },
    body: {
      kind: 'envelope',
      json,
      tsOffsetMs: 0,
      wrongSecret: false,
      mutation: undefined,
      binary,
      ...extra,
    },
    framing: 'length',
  }));
}

/** Validly encrypted envelopes around mutated JSON (wrong types, unicode, huge numbers, nesting, huge arrays). */
export function jsonFamily(inputs: FuzzInputs): fc.Arbitrary<FuzzCase> {
  return encryptedPath.chain((path) =>
    payloadFor(path, inputs).chain(({ json, note }) => envelopeCase(path, json, note)),
  );
}

const envelopeMutation: fc.Arbitrary<EnvelopeMutation | undefined> = fc.option(
  fc.record({
    op: fc.constantFrom('flip', 'cut', 'insert', 'version'),
    at: fc.nat(400),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  { nil: undefined, freq: 3 },
);

/** Broken envelopes: random bytes/text, unencrypted JSON, wrong key, stale or future timestamps, mutations. */
export function envelopeFamily(inputs: FuzzInputs): fc.Arbitrary<FuzzCase> {
  const raw = fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((b) => ({ bytes: Buffer.from(b), note: 'random bytes' })),
    fc.uint8Array({ maxLength: 300 }).map((b) => ({
      bytes: Buffer.from(Buffer.from(b).toString('base64')),
      note: 'base64 of random bytes',
    })),
    fc.uint8Array({ minLength: 44, maxLength: 300 }).map((b) => ({
      bytes: Buffer.from(Buffer.concat([Buffer.of(1), b]).toString('base64')),
      note: 'version 1, random rest',
    })),
    fc
      .string({ unit: anyCodeUnit, maxLength: 200 })
      .map((s) => ({ bytes: Buffer.from(s), note: 'random text' })),
    fc.jsonValue().map((v) => ({
      bytes: Buffer.from(JSON.stringify({ email: 'user@example.com', v })),
      note: 'unencrypted JSON',
    })),
    fc.constant({ bytes: Buffer.alloc(0), note: 'empty body' }),
  );
  const rawCase = fc
    .tuple(
      encryptedPath,
      raw,
      fc.constantFrom(...CONTENT_TYPES),
      fc.constantFrom<FuzzCase['framing']>('length', 'length', 'chunked', 'none'),
    )
    .map(([path, { bytes, note }, type, framing]): FuzzCase => ({
      family: 'envelope',
      note: framing === 'none' ? 'no body at all' : note,
      method: 'POST',
      path,
      auth: VALID_AUTH,
      headers: type === '' ? {} : { 'content-type': type },
      body: framing === 'none' ? { kind: 'none' } : { kind: 'raw', bytes },
      framing: framing === 'none' || bytes.length > 1 ? framing : 'length',
    }));
  const offsets = fc.oneof(
    fc.constant(0),
    fc.constantFrom(-120_000, -119_999, 119_000, 119_001, -86_400_000, 9e15, -9e15),
    fc.integer({ min: -300_000, max: 300_000 }),
  );
  const sealedCase = fc
    .tuple(encryptedPath, offsets, fc.boolean(), envelopeMutation)
    .chain(([path, tsOffsetMs, wrongSecret, mutation]) =>
      payloadFor(path, inputs).chain(({ json }) =>
        envelopeCase(
          path,
          json,
          `envelope ts${tsOffsetMs >= 0 ? '+' : ''}${tsOffsetMs}${wrongSecret ? ' wrong-secret' : ''}${mutation ? ` ${mutation.op}@${mutation.at}` : ''}`,
          {
            tsOffsetMs,
            wrongSecret,
            mutation,
          },
        ).map((c) => ({ ...c, family: 'envelope' as const })),
      ),
    );
  return fc.oneof(rawCase, sealedCase);
}

/** Authorization header values: missing, malformed, case and spacing variants, oversized, another key. */
export const AUTH_VARIANTS = [
  undefined,
  'Bearer',
  'Bearer ',
  'bearer {KEY}',
  'BEARER {KEY}',
  '  Bearer {KEY}  ',
  'Bearer  {KEY}',
  'Basic {KEY}',
  'Bearer {KEY}x',
  'Bearer {KEY},Bearer {KEY}',
  `Bearer ${'A'.repeat(8000)}`,
  'Bearer UID2-C-L-999-AAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'Bearer \u00e9\u00ff',
  VALID_AUTH,
];
const HEADER_VARIANTS: readonly Record<string, string>[] = [
  { 'content-type': 'APPLICATION/OCTET-STREAM' },
  { 'content-type': 'application/octet-stream; charset=utf-8' },
  { 'content-type': 'application/json' },
  { 'content-type': 'application/x-www-form-urlencoded' },
  { 'content-type': 'multipart/form-data; boundary=x' },
  { 'content-type': 'text/plain; charset=utf-16' },
  { 'content-type': ';;;/' },
  { 'content-type': 'a'.repeat(4000) },
  { 'content-encoding': 'gzip' },
  { 'content-encoding': 'deflate, br' },
  { 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793' },
  { 'x-amzn-trace-id': 'x'.repeat(6000) },
  { origin: 'http://localhost:8080', 'access-control-request-method': 'POST' },
  { origin: 'null' },
  { 'x-uid2-client-version': 'uid2-client-python-2.9.0' },
  { 'uid-trace-id': '\u00ff\u00fe' },
  { accept: 'application/json', 'accept-encoding': 'gzip, br' },
  { expect: 'something-odd' },
];

/** Valid requests with damaged or unusual headers and framing. */
export function headersFamily(inputs: FuzzInputs): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      jsonFamily(inputs),
      fc.constantFrom(...AUTH_VARIANTS),
      fc.subarray([...HEADER_VARIANTS], { maxLength: 3 }),
      fc.boolean(),
      fc.dictionary(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
        fc.string({
          unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
          maxLength: 50,
        }),
        { maxKeys: 3 },
      ),
    )
    .map(([base, auth, variants, chunked, random]) => ({
      ...base,
      family: 'headers' as const,
      note: `auth=${auth === undefined ? 'none' : auth.replace('{KEY}', 'KEY').slice(0, 30)} headers=${variants.map((v) => Object.keys(v).join('+')).join(',')}${chunked ? ' chunked' : ''}`,
      auth,
      headers: Object.assign({}, base.headers, random, ...variants) as Record<string, string>,
      framing: chunked ? ('chunked' as const) : ('length' as const),
    }));
}
