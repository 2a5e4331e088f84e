import { describe, expect, it } from 'vitest';
import { EnvelopeError, type EnvelopeErrorCode } from './envelope-error.js';
import { gcmEncrypt } from './gcm.js';
import { MIN_REQUEST_ENVELOPE_BYTES, openRequestEnvelope, sealRequestEnvelope } from './request-envelope.js';

const secret = Buffer.alloc(32, 3);
const nonce = Buffer.from('0102030405060708', 'hex');
const iv = Buffer.alloc(12, 9);
const NOW = 1_767_225_600_123;

function seal(timestampMs: number, payload?: string | Record<string, unknown> | Uint8Array): Buffer {
  return sealRequestEnvelope({ secret, timestampMs, nonce, payload, iv });
}

function codeOf(run: () => unknown): EnvelopeErrorCode | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvelopeError) return error.code;
    throw error;
  }
  return undefined;
}

const openText = (body: string | Uint8Array | null | undefined, nowMs = NOW) =>
  openRequestEnvelope(body, { secret, nowMs });
const openBinary = (body: string | Uint8Array, nowMs = NOW) =>
  openRequestEnvelope(body, { secret, nowMs, binary: true });

describe('openRequestEnvelope clock window', () => {
  it.each([
    [-119_999, true],
    [-120_000, false],
    [119_000, true],
    [119_001, false],
    [-60_000, true],
    [0, true],
  ])('a timestamp %i ms from server time is accepted: %s', (offsetMs, accepted) => {
    const body = seal(NOW + offsetMs).toString('base64');
    expect(codeOf(() => openText(body))).toBe(accepted ? undefined : 'ERR_ENVELOPE_STALE');
  });

  it('rejects timestamps far outside the int64 range of realistic clocks', () => {
    const plaintext = Buffer.alloc(16);
    plaintext.writeBigInt64BE(-(2n ** 63n), 0);
    const body = Buffer.concat([Buffer.of(1), gcmEncrypt(secret, plaintext, iv)]);
    expect(codeOf(() => openBinary(body))).toBe('ERR_ENVELOPE_STALE');
  });
});

describe('openRequestEnvelope steps a to h', () => {
  it('reports a missing body in either mode', () => {
    expect(codeOf(() => openText(null))).toBe('ERR_ENVELOPE_MISSING');
    expect(codeOf(() => openText(undefined))).toBe('ERR_ENVELOPE_MISSING');
    expect(codeOf(() => openRequestEnvelope(null, { secret, nowMs: NOW, binary: true }))).toBe(
      'ERR_ENVELOPE_MISSING',
    );
    expect(codeOf(() => openBinary(new Uint8Array(0)))).toBe('ERR_ENVELOPE_MISSING');
  });

  it('tells unencrypted JSON apart from other bad bodies', () => {
    expect(codeOf(() => openText('  {"email":"x"}'))).toBe('ERR_ENVELOPE_UNENCRYPTED_JSON');
    expect(codeOf(() => openText('["not","an","object"]'))).toBe('ERR_ENVELOPE_NOT_BASE64');
    expect(codeOf(() => openText('{broken'))).toBe('ERR_ENVELOPE_NOT_BASE64');
    const short = Buffer.from('{"a":1}').toString('base64');
    expect(codeOf(() => openText(short))).toBe('ERR_ENVELOPE_UNENCRYPTED_JSON');
    expect(codeOf(() => openText(Buffer.from('[1,2]').toString('base64')))).toBe('ERR_ENVELOPE_TOO_SHORT');
  });

  it('reports the unsigned version byte', () => {
    const body = seal(NOW);
    body[0] = 0x80;
    try {
      openBinary(body);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_ENVELOPE_VERSION', detail: 128 });
    }
  });

  it('needs at least 45 bytes and decrypts exactly that minimum', () => {
    const minimal = seal(NOW);
    expect(minimal).toHaveLength(MIN_REQUEST_ENVELOPE_BYTES);
    expect(openBinary(minimal).payload).toBeNull();
    expect(codeOf(() => openBinary(minimal.subarray(0, 44)))).toBe('ERR_ENVELOPE_TOO_SHORT');
  });

  it('fails decryption with another secret before looking at the clock', () => {
    const body = seal(NOW - 3_600_000);
    expect(
      codeOf(() => openRequestEnvelope(body, { secret: Buffer.alloc(32, 4), nowMs: NOW, binary: true })),
    ).toBe('ERR_ENVELOPE_DECRYPT');
  });

  it('accepts only a JSON object after the nonce', () => {
    expect(openBinary(seal(NOW, { email: 'a@b.c' })).payload).toEqual({ email: 'a@b.c' });
    expect(openBinary(seal(NOW, Buffer.from('{"x": [1]}'))).payload).toEqual({ x: [1] });
    for (const text of ['null', '"text"', '42', '[]', ' ', '{"a":1} trailing']) {
      expect(codeOf(() => openBinary(seal(NOW, text)))).toBe('ERR_ENVELOPE_PAYLOAD_NOT_JSON');
    }
  });

  it('checks the clock before the payload', () => {
    expect(codeOf(() => openBinary(seal(NOW - 600_000, 'not json')))).toBe('ERR_ENVELOPE_STALE');
  });

  it('treats a wrong secret length as programmer misuse, also in binary mode', () => {
    const body = seal(NOW);
    expect(() => openRequestEnvelope(body, { secret: Buffer.alloc(16), nowMs: NOW, binary: true })).toThrow(
      TypeError,
    );
  });
});

describe('openRequestEnvelope binary mode', () => {
  it('falls back to base64 text and then reports the retry error', () => {
    const envelope = seal(NOW, { a: 1 });
    expect(openBinary(Buffer.from(envelope.toString('base64'))).mode).toBe('text');
    const jsonAsBase64 = Buffer.from(
      Buffer.from('{"email_hash":"x","more":"padding padding padding"}').toString('base64'),
    );
    expect(codeOf(() => openBinary(jsonAsBase64))).toBe('ERR_ENVELOPE_UNENCRYPTED_JSON');
    const corrupt = Buffer.from(Buffer.alloc(64, 2).toString('base64'));
    try {
      openBinary(corrupt);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_ENVELOPE_VERSION', detail: 2 });
    }
  });

  it('keeps the binary error when the body is not base64', () => {
    try {
      openBinary(Buffer.alloc(64, 2));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_ENVELOPE_VERSION', detail: 2 });
    }
    expect(codeOf(() => openBinary(Buffer.from('{"email":"someone"}')))).toBe(
      'ERR_ENVELOPE_UNENCRYPTED_JSON',
    );
  });

  it('reads a string body as UTF-8 bytes', () => {
    expect(openBinary(seal(NOW).toString('base64')).mode).toBe('text');
  });
});

describe('sealRequestEnvelope', () => {
  it('refuses a nonce that is not 8 bytes and a fractional timestamp', () => {
    expect(() => sealRequestEnvelope({ secret, timestampMs: NOW, nonce: Buffer.alloc(7), iv })).toThrow(
      TypeError,
    );
    expect(() => sealRequestEnvelope({ secret, timestampMs: 1.5, nonce, iv })).toThrow(TypeError);
  });
});
