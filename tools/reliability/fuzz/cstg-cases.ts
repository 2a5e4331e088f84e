import { generateKeyPairSync, hash } from 'node:crypto';
import { createCstgRequest, parsePrefixedKey } from '@uid2-operator/crypto-envelope';
import fc from 'fast-check';
import type { FuzzCase } from './case-types.js';
import { anyCodeUnit, hashes, objectText, rawNumber, rawString, rawValue } from './fragments.js';
import type { FuzzInputs } from './payloads.js';

const OTHER_CURVE = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({
  format: 'der',
  type: 'spki',
});
const RSA = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
  format: 'der',
  type: 'spki',
});
const ANOTHER_P256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
  format: 'der',
  type: 'spki',
});

const ORIGINS: readonly (string | undefined)[] = [
  'http://localhost:8080',
  'http://localhost',
  'https://a.localhost',
  'https://a.b.localhost',
  'https://example.com',
  'null',
  '',
  'not a url',
  'http://127.0.0.1:3000',
  `https://${'a'.repeat(300)}.co.uk`,
  undefined,
];

/** The inner (encrypted) CSTG JSON: valid hashes, both/neither, invalid hash, anything. */
const innerPayload = fc.oneof(
  { weight: 4, arbitrary: hashes.map((h) => JSON.stringify({ email_hash: h })) },
  { weight: 1, arbitrary: hashes.map((h) => JSON.stringify({ phone_hash: h })) },
  {
    weight: 1,
    arbitrary: fc.constant(
      JSON.stringify({
        email_hash: hash('sha256', 'a', 'base64'),
        phone_hash: hash('sha256', 'b', 'base64'),
      }),
    ),
  },
  { weight: 1, arbitrary: fc.constant('{}') },
  { weight: 1, arbitrary: fc.constant(JSON.stringify({ email: 'user@example.com' })) },
  { weight: 2, arbitrary: rawValue.map((v) => `{"email_hash":${v}}`) },
  { weight: 2, arbitrary: rawValue },
  { weight: 1, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 50 }) },
);

type Entries = [string, string][];

/** Field-level damage to a valid CSTG body. */
const fieldMutation = fc.oneof(
  fc.record({
    kind: fc.constant('drop' as const),
    field: fc.constantFrom('payload', 'iv', 'public_key', 'timestamp', 'subscription_id'),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    field: fc.constantFrom(
      'payload',
      'iv',
      'public_key',
      'timestamp',
      'subscription_id',
      'app_name',
      'unknown_field',
    ),
    value: rawValue,
  }),
  fc.record({
    kind: fc.constant('set' as const),
    field: fc.constant('timestamp'),
    value: fc.oneof(rawNumber, rawString),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    field: fc.constant('iv'),
    value: fc.uint8Array({ maxLength: 20 }).map((b) => JSON.stringify(Buffer.from(b).toString('base64'))),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    field: fc.constant('public_key'),
    value: fc.oneof(
      fc.constantFrom(OTHER_CURVE, RSA, ANOTHER_P256).map((der) => JSON.stringify(der.toString('base64'))),
      fc.uint8Array({ maxLength: 120 }).map((b) => JSON.stringify(Buffer.from(b).toString('base64'))),
    ),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    field: fc.constant('app_name'),
    value: fc.constantFrom('"com.uid2.devapp"', '"COM.UID2.DEVAPP"', '"com.other.app"', '""'),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    field: fc.constant('subscription_id'),
    value: fc.constantFrom('"AAAAAAAAAA"', '""', '123', 'null'),
  }),
  fc.record({
    kind: fc.constant('flip' as const),
    field: fc.constantFrom('payload', 'iv', 'public_key'),
    at: fc.nat(200),
    char: fc.constantFrom('A', '/', '+', '=', '-', ' ', '\u00e9'),
  }),
);

type Mutation = typeof fieldMutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(entries: Entries, m: Mutation): Entries {
  const index = entries.findIndex(([key]) => key === m.field);
  if (m.kind === 'drop') return index < 0 ? entries : entries.filter((_, i) => i !== index);
  if (m.kind === 'set') {
    const out = [...entries];
    if (index >= 0) out[index] = [m.field, m.value];
    else out.push([m.field, m.value]);
    return out;
  }
  if (index < 0) return entries;
  const text: unknown = JSON.parse(entries[index]![1]);
  if (typeof text !== 'string') return entries;
  const at = m.at % (text.length + 1);
  const out = [...entries];
  out[index] = [m.field, JSON.stringify(text.slice(0, at) + m.char + text.slice(at + 1))];
  return out;
}

/**
 * `/v2/token/client-generate` bodies: a valid request for the dev site (real ECDH and AES-GCM
 * over a fuzzed inner payload) with 0–3 field mutations, or a broken top-level body; with varied
 * `Origin` headers (spec/api.md §6.4).
 */
export function cstgCase(inputs: FuzzInputs): fc.Arbitrary<FuzzCase> {
  const serverPublicKey = parsePrefixedKey(inputs.publicKey).der;
  const valid = fc
    .tuple(
      innerPayload,
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 12, maxLength: 12 }),
      fc.option(fc.constantFrom('com.uid2.devapp', 'com.other'), { nil: undefined }),
    )
    .map(([payload, privateKey, iv, appName]): Entries => {
      let created;
      try {
        created = createCstgRequest({
          serverPublicKey,
          clientPrivateKey: privateKey,
          payload,
          timestampMs: 1_767_225_600_000,
          appName,
          subscriptionId: inputs.subscriptionId,
          iv,
        });
      } catch {
        created = createCstgRequest({
          serverPublicKey,
          clientPrivateKey: Buffer.alloc(32, 1),
          payload,
          timestampMs: 0,
          appName,
          subscriptionId: inputs.subscriptionId,
          iv,
        });
      }
      return Object.entries(created.body).map(([k, v]) => [k, JSON.stringify(v)]);
    });
  const body = fc.oneof(
    {
      weight: 10,
      arbitrary: fc.tuple(valid, fc.array(fieldMutation, { maxLength: 3 })).map(([entries, ms]) => ({
        text: objectText(ms.reduce(mutate, entries)),
        note: ms.map((m) => `${m.kind}:${m.field}`).join(',') || 'valid',
      })),
    },
    { weight: 1, arbitrary: rawValue.map((text) => ({ text, note: 'top-level value' })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('', 'null', '{', '[]', '"x"')
        .map((text) => ({ text, note: `body ${JSON.stringify(text)}` })),
    },
  );
  return fc
    .tuple(
      body,
      fc.constantFrom(...ORIGINS),
      fc.constantFrom('text/plain', 'application/json', ''),
      fc.boolean(),
    )
    .map(([{ text, note }, origin, type, noBody]) => {
      const headers: Record<string, string> = {};
      if (origin !== undefined) headers.origin = origin;
      if (type !== '') headers['content-type'] = type;
      const none = noBody && text === '';
      return {
        family: 'cstg',
        note: `${none ? 'no body' : note} origin=${origin === undefined ? 'none' : origin.slice(0, 30)}`,
        method: 'POST',
        path: '/v2/token/client-generate',
        auth: undefined,
        headers,
        body: none ? { kind: 'none' } : { kind: 'raw', bytes: Buffer.from(text, 'utf8') },
        framing: none ? 'none' : 'length',
      };
    });
}
