import fc from 'fast-check';
import { arrayText, emails, hashes, objectText, phones, rawString, rawValue } from './fragments.js';

/** Values taken from the running operator before fuzzing, so mutations start from valid input. */
export interface FuzzInputs {
  /** Advertising tokens issued to the dev site. */
  readonly advertisingTokens: readonly string[];
  /** 388-character refresh tokens. */
  readonly refreshTokens: readonly string[];
  /** Raw UID2s (base64) of mapped or opted-out identities. */
  readonly rawUids: readonly string[];
  readonly subscriptionId: string;
  /** `UID2-X-L-…` CSTG public key of the dev site. */
  readonly publicKey: string;
}

/** The encrypted endpoints (spec/api.md §1) and the key ones whose payload is ignored. */
export const ENCRYPTED_PATHS = [
  '/v2/token/generate',
  '/v2/token/validate',
  '/v2/token/logout',
  '/v2/identity/map',
  '/v3/identity/map',
  '/v2/identity/buckets',
  '/v2/optout/status',
  '/v2/key/sharing',
  '/v2/key/bidstream',
  '/v2/key/latest',
] as const;

/** Every route of spec/api.md §1 plus the static files. */
export const ALL_PATHS = [
  ...ENCRYPTED_PATHS,
  '/v2/token/refresh',
  '/v2/token/client-generate',
  '/ops/healthcheck',
  '/static/js/uid2-sdk-2.0.0.js',
];

type Entries = (readonly [string, string])[];
const str = (value: string) => JSON.stringify(value);

/** One DII key with a plausible value (as JSON text). */
const singleDii: fc.Arbitrary<Entries> = fc.oneof(
  emails.map((v) => [['email', str(v)] as const]),
  hashes.map((v) => [['email_hash', str(v)] as const]),
  phones.map((v) => [['phone', str(v)] as const]),
  hashes.map((v) => [['phone_hash', str(v)] as const]),
);

const extras: fc.Arbitrary<Entries> = fc.subarray([
  ['tcf_consent_string', str('CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA')] as const,
  ['optout_check', '1'] as const,
  ['policy', '1'] as const,
]);

/** A valid-looking payload (as ordered JSON entries) for each encrypted endpoint. */
export function templateFor(path: string, inputs: FuzzInputs): fc.Arbitrary<Entries> {
  const uids = fc.array(fc.constantFrom(...inputs.rawUids, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='), {
    maxLength: 20,
  });
  switch (path) {
    case '/v2/token/generate':
      return fc.tuple(singleDii, extras).map(([dii, more]) => [...dii, ...more]);
    case '/v2/token/validate':
      return fc
        .tuple(fc.constantFrom(...inputs.advertisingTokens), singleDii)
        .map(([token, dii]) => [['token', str(token)] as const, ...dii]);
    case '/v2/token/logout':
      return fc
        .tuple(singleDii, fc.option(fc.constant(['clientIp', str('127.0.0.1')] as const), { nil: undefined }))
        .map(([dii, ip]) => (ip ? [...dii, ip] : dii));
    case '/v2/identity/map':
      return fc
        .tuple(
          fc.constantFrom('email', 'email_hash', 'phone', 'phone_hash'),
          fc.array(fc.oneof(emails, phones, hashes), { maxLength: 30 }),
        )
        .map(([key, values]) => [[key, arrayText(values)] as const]);
    case '/v3/identity/map':
      return fc
        .subarray(['email', 'email_hash', 'phone', 'phone_hash'], { minLength: 1 })
        .chain((keys) =>
          fc.tuple(
            ...keys.map((key) =>
              fc
                .array(fc.oneof(emails, phones, hashes), { maxLength: 20 })
                .map((values) => [key, arrayText(values)] as const),
            ),
          ),
        );
    case '/v2/identity/buckets':
      return fc
        .constantFrom('2024-01-01T00:00:00', '2020-06-01T13:00', '2999-01-01T00:00:00.123456789')
        .map((since) => [['since_timestamp', str(since)] as const]);
    case '/v2/optout/status':
      return uids.map((ids) => [['advertising_ids', arrayText(ids)] as const]);
    default:
      return fc.constant([]);
  }
}

/** Keys any endpoint reads, used when a mutation adds or replaces a field. */
const KNOWN_KEYS = [
  'email',
  'email_hash',
  'phone',
  'phone_hash',
  'token',
  'tcf_consent_string',
  'clientIp',
  'link_id',
  'since_timestamp',
  'advertising_ids',
  'policy',
  'optout_check',
  '__proto__',
  'constructor',
];

type Mutation =
  | { readonly op: 'set'; readonly key: string; readonly value: string }
  | { readonly op: 'drop'; readonly at: number }
  | { readonly op: 'duplicate'; readonly at: number }
  | { readonly op: 'element'; readonly at: number; readonly value: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('set' as const),
      key: fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string({ maxLength: 8 })),
      value: rawValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), at: fc.nat(8) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(8) }) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('element' as const), at: fc.nat(8), value: rawValue }),
  },
);

function apply(entries: Entries, m: Mutation): Entries {
  const out = [...entries];
  if (m.op === 'set') {
    const index = out.findIndex(([key]) => key === m.key);
    if (index >= 0) out[index] = [m.key, m.value];
    else out.push([m.key, m.value]);
  } else if (m.op === 'drop' && out.length > 0) out.splice(m.at % out.length, 1);
  else if (m.op === 'duplicate' && out.length > 0) out.push(out[m.at % out.length]!);
  else if (m.op === 'element') {
    // Put a nasty value inside the first array-valued field (or make one).
    const index = out.findIndex(([, value]) => value.startsWith('['));
    if (index >= 0) {
      const [key, value] = out[index]!;
      out[index] = [key, value === '[]' ? `[${m.value}]` : `[${m.value},${value.slice(1)}`];
    } else out.push([KNOWN_KEYS[m.at % 4]!, `[${m.value}]`]);
  }
  return out;
}

/** A text-level corruption of the final JSON: truncation, invalid UTF-8, stray bytes. */
const textCorruption = fc.oneof(
  fc.constant(undefined),
  fc.record({ cut: fc.nat(200) }),
  fc.record({ insertAt: fc.nat(200), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
);

/**
 * The JSON payload of an encrypted request (UTF-8 bytes, or `null` for an envelope without JSON):
 * a valid template with 0–3 structural mutations, a non-object top-level value, or corrupted text.
 */
export function payloadFor(
  path: string,
  inputs: FuzzInputs,
): fc.Arbitrary<{ json: Buffer | null; note: string }> {
  const mutated = fc
    .tuple(templateFor(path, inputs), fc.array(mutation, { maxLength: 3 }), textCorruption)
    .map(([entries, mutations, corruption]) => {
      let text = Buffer.from(objectText(mutations.reduce(apply, entries)), 'utf8');
      const ops = mutations.map((m) => m.op + ('key' in m ? `:${m.key.slice(0, 20)}` : ''));
      if (corruption !== undefined && 'cut' in corruption) {
        text = text.subarray(0, corruption.cut % (text.length + 1));
        ops.push('truncated');
      } else if (corruption !== undefined) {
        const at = corruption.insertAt % (text.length + 1);
        text = Buffer.concat([text.subarray(0, at), Buffer.from(corruption.bytes), text.subarray(at)]);
        ops.push('stray bytes');
      }
      return { json: text, note: ops.length === 0 ? 'valid template' : ops.join(',') };
    });
  return fc.oneof(
    { weight: 12, arbitrary: mutated },
    {
      weight: 1,
      arbitrary: rawValue.map((v) => ({ json: Buffer.from(v, 'utf8'), note: 'top-level non-object' })),
    },
    {
      weight: 1,
      arbitrary: rawString.map((v) => ({ json: Buffer.from(`{${v}}`, 'utf8'), note: 'bad object text' })),
    },
    { weight: 1, arbitrary: fc.constant({ json: null, note: 'no JSON payload' }) },
    { weight: 1, arbitrary: fc.constant({ json: Buffer.from('{}'), note: 'empty object' }) },
  );
}
