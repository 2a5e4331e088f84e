import { describe, expect, it } from 'vitest';
import { EnvelopeError, type EnvelopeErrorCode } from './envelope-error.js';
import { openRefreshResponse, sealRefreshResponse } from './refresh-response.js';
import { openResponseEnvelope, sealResponseEnvelope } from './response-envelope.js';

const secret = Buffer.alloc(32, 5);
const nonce = Buffer.from('a1a2a3a4a5a6a7a8', 'hex');
const iv = Buffer.alloc(12, 2);

function codeOf(run: () => unknown): EnvelopeErrorCode | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvelopeError) return error.code;
    throw error;
  }
  return undefined;
}

describe('response envelope', () => {
  it('round-trips string and byte JSON, including non-ASCII text', () => {
    const json = '{"status":"success","body":"😊"}';
    for (const body of [json, Buffer.from(json)]) {
      const sealed = sealResponseEnvelope({ secret, nowMs: 1_700_000_000_000, nonce, json: body, iv });
      const opened = openResponseEnvelope({ secret, envelope: sealed, expectedNonce: nonce });
      expect(opened.timestampMs).toBe(1_700_000_000_000);
      expect(opened.nonce.equals(nonce)).toBe(true);
      expect(opened.json.toString('utf8')).toBe(json);
    }
  });

  it('rejects text that is not base64, short bodies and a wrong secret', () => {
    const sealed = sealResponseEnvelope({ secret, nowMs: 1, nonce, json: '{}', iv });
    expect(codeOf(() => openResponseEnvelope({ secret, envelope: 'not base64!' }))).toBe(
      'ERR_ENVELOPE_NOT_BASE64',
    );
    expect(codeOf(() => openResponseEnvelope({ secret, envelope: sealed.subarray(0, 43) }))).toBe(
      'ERR_ENVELOPE_TOO_SHORT',
    );
    expect(codeOf(() => openResponseEnvelope({ secret: Buffer.alloc(32), envelope: sealed }))).toBe(
      'ERR_ENVELOPE_DECRYPT',
    );
  });

  it('refuses a nonce that is not 8 bytes and a fractional time', () => {
    expect(() => sealResponseEnvelope({ secret, nowMs: 1, nonce: Buffer.alloc(9), json: '{}', iv })).toThrow(
      TypeError,
    );
    expect(() => sealResponseEnvelope({ secret, nowMs: 0.5, nonce, json: '{}', iv })).toThrow(TypeError);
  });
});

describe('refresh response', () => {
  it('round-trips as base64 text or raw bytes', () => {
    const sealed = sealRefreshResponse(secret, '{"status":"optout"}', iv);
    expect(openRefreshResponse(secret, sealed).toString()).toBe('{"status":"optout"}');
    expect(openRefreshResponse(secret, sealed.toString('base64')).toString()).toBe('{"status":"optout"}');
  });

  it('rejects text that is not base64 and a wrong key', () => {
    expect(codeOf(() => openRefreshResponse(secret, '***'))).toBe('ERR_ENVELOPE_NOT_BASE64');
    const sealed = sealRefreshResponse(secret, Buffer.from('{}'), iv);
    expect(codeOf(() => openRefreshResponse(Buffer.alloc(32), sealed))).toBe('ERR_ENVELOPE_DECRYPT');
  });
});
