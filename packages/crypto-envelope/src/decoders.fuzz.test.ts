import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict, decodeBase64UrlStrict } from './base64-strict.js';
import { createCstgServerKey } from './cstg-key-agreement.js';
import { openCstgPayload, openCstgRequest, openCstgResponse } from './cstg-payload.js';
import { EnvelopeError, type EnvelopeErrorCode, envelopeErrorMessage } from './envelope-error.js';
import { gcmDecrypt, gcmEncrypt } from './gcm.js';
import { parsePrefixedKey } from './prefixed-key.js';
import { openRefreshResponse } from './refresh-response.js';
import { openRequestEnvelope, sealRequestEnvelope } from './request-envelope.js';
import { openResponseEnvelope, sealResponseEnvelope } from './response-envelope.js';

// Fuzz tests of issue 7: every decoder of this package, fed any byte string, returns a result or
// throws an EnvelopeError with a documented code, never anything else. Seeded, so a failure
// reproduces; bounded so the file runs in a few seconds.

const SEED = 7007;
const RUNS = 1500;
const SECRET = Buffer.alloc(32, 0x5a);
const NOW = 1_767_225_600_000;
const IV = Buffer.alloc(12, 3);
const NONCE = Buffer.alloc(8, 9);

/** Runs `decode`; returns `'ok'` or the EnvelopeError code, and fails on any other throw. */
function outcome(decode: () => unknown): 'ok' | EnvelopeErrorCode {
  try {
    decode();
    return 'ok';
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    // Every code maps to a fixed wire text that never quotes the input.
    expect(envelopeErrorMessage(error, 'UID2')).not.toContain('undefined');
    return error.code;
  }
}

/** Any UTF-16 code unit, lone surrogates included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.string({ unit: anyCodeUnit, maxLength: 120 });
const base64Text = fc.uint8Array({ maxLength: 160 }).map((b) => Buffer.from(b).toString('base64'));
const anyBytes = fc.uint8Array({ maxLength: 200 });

/** Random byte flips, truncations and insertions of a valid input. */
function mutated(valid: Buffer): fc.Arbitrary<Buffer> {
  return fc
    .tuple(
      fc.nat({ max: valid.length }),
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom('flip', 'cut', 'insert'),
    )
    .map(([at, byte, how]) => {
      if (how === 'cut') return valid.subarray(0, at);
      if (how === 'insert')
        return Buffer.concat([valid.subarray(0, at), Buffer.of(byte), valid.subarray(at)]);
      const copy = Buffer.from(valid);
      if (at < copy.length) copy[at] = (copy[at] ?? 0) ^ (byte | 1);
      return copy;
    });
}

const REQUEST_CODES: readonly string[] = [
  'ok',
  'ERR_ENVELOPE_MISSING',
  'ERR_ENVELOPE_NOT_BASE64',
  'ERR_ENVELOPE_TOO_SHORT',
  'ERR_ENVELOPE_VERSION',
  'ERR_ENVELOPE_DECRYPT',
  'ERR_ENVELOPE_STALE',
  'ERR_ENVELOPE_PAYLOAD_NOT_JSON',
  'ERR_ENVELOPE_UNENCRYPTED_JSON',
];

describe('openRequestEnvelope under fuzzing', () => {
  const open = (body: string | Uint8Array, binary: boolean) => () =>
    openRequestEnvelope(body, { secret: SECRET, nowMs: NOW, binary });

  it('throws only its coded errors for any bytes, text or base64 text, in both modes', () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, anyText, base64Text), fc.boolean(), (body, binary) => {
        expect(REQUEST_CODES).toContain(outcome(open(body, binary)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('throws only its coded errors for mutated valid envelopes', () => {
    const valid = sealRequestEnvelope({
      secret: SECRET,
      timestampMs: NOW,
      nonce: NONCE,
      payload: { email: 'a@b.c' },
      iv: IV,
    });
    fc.assert(
      fc.property(mutated(valid), fc.boolean(), fc.boolean(), (bytes, asText, binary) => {
        const body = asText ? bytes.toString('base64') : bytes;
        expect(REQUEST_CODES).toContain(outcome(open(body, binary)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('accepts or rejects with a code any correctly encrypted plaintext: any timestamp, any payload bytes', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        anyBytes,
        fc.boolean(),
        (ts, payload, nearNow) => {
          const timestampMs = nearNow ? NOW : Number(BigInt.asIntN(53, ts));
          const sealed = sealRequestEnvelope({ secret: SECRET, timestampMs, nonce: NONCE, payload, iv: IV });
          expect(REQUEST_CODES).toContain(outcome(open(sealed.toString('base64'), false)));
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('response, refresh-response and GCM decoders under fuzzing', () => {
  const codes: readonly string[] = [
    'ok',
    'ERR_ENVELOPE_NOT_BASE64',
    'ERR_ENVELOPE_TOO_SHORT',
    'ERR_ENVELOPE_DECRYPT',
    'ERR_ENVELOPE_NONCE_MISMATCH',
  ];
  const validResponse = sealResponseEnvelope({
    secret: SECRET,
    nowMs: NOW,
    nonce: NONCE,
    json: '{"status":"success"}',
    iv: IV,
  });

  it('openResponseEnvelope throws only coded errors for any text, bytes or mutated response', () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, anyText, base64Text, mutated(validResponse)), (envelope) => {
        expect(codes).toContain(
          outcome(() => openResponseEnvelope({ secret: SECRET, envelope, expectedNonce: NONCE })),
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('openRefreshResponse, openCstgResponse and gcmDecrypt throw only coded errors for any input', () => {
    const valid = gcmEncrypt(SECRET, Buffer.from('{"status":"optout"}'), IV);
    fc.assert(
      fc.property(fc.oneof(anyBytes, anyText, base64Text, mutated(valid)), (blob) => {
        expect(codes).toContain(outcome(() => openRefreshResponse(SECRET, blob)));
        expect(codes).toContain(outcome(() => openCstgResponse(SECRET, blob)));
        if (typeof blob !== 'string') expect(codes).toContain(outcome(() => gcmDecrypt(SECRET, blob)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('decodeBase64Strict and decodeBase64UrlStrict return bytes or null for any text', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, anyBytes), (text) => {
        const standard = decodeBase64Strict(text);
        const url = decodeBase64UrlStrict(text);
        expect(standard === null || Buffer.isBuffer(standard)).toBe(true);
        expect(url === null || Buffer.isBuffer(url)).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
  });

  it('parsePrefixedKey throws only ERR_KEY_FORMAT for any text', () => {
    const prefixed = fc.tuple(
      fc.constantFrom('UID2-X-L-', 'EUID-Y-P-', 'UID2-Z-L-', ''),
      fc.oneof(anyText, base64Text),
    );
    fc.assert(
      fc.property(prefixed, ([prefix, rest]) => {
        expect(['ok', 'ERR_KEY_FORMAT']).toContain(outcome(() => parsePrefixedKey(prefix + rest)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('CSTG decoders under fuzzing', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const serverKey = createCstgServerKey(privateKey.export({ format: 'der', type: 'pkcs8' }));
  const clientSpki = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
    format: 'der',
    type: 'spki',
  });
  const otherCurveSpki = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({
    format: 'der',
    type: 'spki',
  });
  const rsaSpki = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
    format: 'der',
    type: 'spki',
  });
  const codes: readonly string[] = [
    'ok',
    'ERR_CSTG_BAD_PUBLIC_KEY',
    'ERR_CSTG_BAD_IV',
    'ERR_CSTG_DECRYPT',
    'ERR_CSTG_PAYLOAD_NOT_JSON',
  ];

  const publicKeyText = fc.oneof(
    anyText,
    base64Text,
    fc.constantFrom(clientSpki, otherCurveSpki, rsaSpki).map((der) => der.toString('base64')),
    mutated(clientSpki).map((der) => der.toString('base64')),
  );
  const fields = fc.record({
    publicKey: publicKeyText,
    iv: fc.oneof(
      anyText,
      base64Text,
      fc.uint8Array({ minLength: 12, maxLength: 12 }).map((b) => Buffer.from(b).toString('base64')),
    ),
    payload: fc.oneof(anyText, base64Text),
    timestamp: fc.maxSafeInteger(),
    appName: fc.option(anyText, { nil: undefined }),
  });

  it('openCstgRequest throws only coded errors for any field values', () => {
    fc.assert(
      fc.property(fields, (request) => {
        expect(codes).toContain(outcome(() => openCstgRequest(serverKey, request)));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('openCstgPayload throws only coded errors for any IV, payload and AAD bytes', () => {
    const sharedSecret = Buffer.alloc(32, 0x11);
    const sealed = gcmEncrypt(sharedSecret, Buffer.from('{"email_hash":"x"}'), IV, Buffer.from('[0]'));
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 20 }),
        fc.oneof(anyBytes, mutated(sealed.subarray(12))),
        anyBytes,
        (iv, payload, aad) => {
          expect(codes).toContain(outcome(() => openCstgPayload({ sharedSecret, iv, payload, aad })));
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('openCstgPayload answers ERR_CSTG_PAYLOAD_NOT_JSON or a JSON object for any correctly encrypted plaintext', () => {
    const sharedSecret = Buffer.alloc(32, 0x22);
    fc.assert(
      fc.property(
        fc.oneof(
          anyBytes,
          fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
        ),
        (plaintext) => {
          const sealed = gcmEncrypt(sharedSecret, plaintext, IV);
          const code = outcome(() =>
            openCstgPayload({ sharedSecret, iv: IV, payload: sealed.subarray(12), aad: Buffer.alloc(0) }),
          );
          expect(['ok', 'ERR_CSTG_PAYLOAD_NOT_JSON']).toContain(code);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
