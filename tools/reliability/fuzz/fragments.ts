import { hash } from 'node:crypto';
import fc from 'fast-check';

/**
 * JSON *text* fragments for the bad-input fuzz: values are built as raw JSON text so they can hold
 * what `JSON.stringify` cannot produce (1e400, 20-digit integers, 100,000-level nesting).
 */

/** Any UTF-16 code unit, lone surrogates included. */
export const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

const b64Hash = (text: string) => hash('sha256', text, 'base64');
const hexHash = (text: string) => hash('sha256', text, 'hex');

/** Valid and almost-valid identifiers of each kind. */
export const emails = fc.constantFrom(
  'user@example.com',
  'validate@example.com',
  'optout@example.com',
  'refresh-optout@example.com',
  'TEst.TEST+tag@Gmail.Com',
  ' spaced @example.com ',
  '@',
  'a@',
  '@b.com',
  'a@ba@z.com',
  'émile@exämple.com',
  'x'.repeat(300) + '@example.com',
);
/** Valid, test-identity and invalid phone numbers (spec/api.md §5.2). */
export const phones = fc.constantFrom(
  '+12345678901',
  '+00000000000',
  '+00000000002',
  '+123456789',
  '+1234567890123456',
  '555-555-5555',
  '+ 1234 5678',
  '',
);
/** 44-char base64 and 64-char hex hashes, plus near misses (spec/api.md §5.3). */
export const hashes = fc.oneof(
  fc.constantFrom(
    b64Hash('user@example.com'),
    hexHash('user@example.com'),
    hexHash('x').toUpperCase(),
    b64Hash('+12345678901'),
  ),
  fc.uint8Array({ minLength: 31, maxLength: 34 }).map((b) => Buffer.from(b).toString('base64')),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefg'.split('')), minLength: 63, maxLength: 65 }),
);

/** Raw JSON numbers outside what a JS double or a Java long can hold exactly. */
export const rawNumber = fc.oneof(
  fc.constantFrom(
    '1e400',
    '-1e400',
    '123456789012345678901234567890',
    '9223372036854775808',
    '-9223372036854775809',
    '9223372036854775807',
    '1e-400',
    '-0',
    '0.5',
    '1E+2',
    '4.9e-324',
    '1.7976931348623157e308',
    '2147483648',
    '-2147483649',
    '99999999999999999',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
);

/** JSON string literals: unicode, lone surrogates, control characters, huge. */
export const rawString = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 60 }) },
    { weight: 2, arbitrary: fc.oneof(emails, phones, hashes) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', ' ', '\u0000', '\uffff', '\ud800', '😊'.repeat(50), 'null', '[]', '{}'),
    },
  )
  .map((s) => JSON.stringify(s));

/** A 10,000–400,000 character string literal. */
export const rawHugeString = fc.integer({ min: 10_000, max: 400_000 }).map((n) => `"${'a'.repeat(n)}"`);

/** `[[[…]]]` or `{"a":{"a":…}}` nested up to 100,000 levels (well under 1 MiB). */
export const rawDeep = fc
  .tuple(fc.constantFrom(10, 100, 1_000, 4_000, 5_000, 20_000, 100_000), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

/** Arrays of 1,000–40,000 copies of one element (kept well under 1 MiB). */
export const rawHugeArray = fc
  .tuple(
    fc.integer({ min: 1_000, max: 40_000 }),
    fc.oneof(
      emails.map((e) => JSON.stringify(e)),
      fc.constantFrom('1', 'null', '""', '[]', '{}', 'true'),
    ),
  )
  .map(([count, element]) => {
    const fits = Math.max(1, Math.min(count, Math.floor(600_000 / (element.length + 1))));
    return `[${Array.from({ length: fits }, () => element).join(',')}]`;
  });

const rawScalar = fc.oneof(rawNumber, rawString, fc.constantFrom('true', 'false', 'null'));

/** Any nasty JSON value as text: scalars, small composites, deep nesting, huge arrays. */
export const rawValue: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    { weight: 32, arbitrary: rawScalar },
    { weight: 8, arbitrary: fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`) },
    {
      weight: 8,
      arbitrary: fc
        .array(fc.tuple(fc.oneof(rawString, fc.constantFrom('"email"', '"token"', '"a"')), tie('value')), {
          maxLength: 4,
        })
        .map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`),
    },
    // Heavy values (up to ~600 KB) are rare so that 100,000 cases take minutes, not an hour.
    { weight: 1, arbitrary: fc.oneof(rawDeep, rawHugeArray, rawHugeString) },
  ),
})).value;

/** Raw JSON text of an object from `[key, rawValue]` entries (duplicate keys allowed). */
export function objectText(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

/** A JSON array text of string literals. */
export function arrayText(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(',')}]`;
}
