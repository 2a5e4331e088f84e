import { gcmEncrypt } from '@uid2-operator/crypto-envelope';
import { describe, expect, it } from 'vitest';
import { createKeyRing } from './key-ring.js';
import { REFRESH_TOKEN_CUTOFF_MS, decodeRefreshToken } from './refresh-token.js';
import { encodeRefreshTokenV2 } from './test-support/legacy-v2.js';
import { NOW, refreshInput, refreshKey, ring, validRefresh } from './test-support/tokens.js';
import { TokenError, type TokenErrorCode } from './token-error.js';

function failure(run: () => unknown): { code: TokenErrorCode; detail: number | undefined } {
  try {
    run();
  } catch (error) {
    if (error instanceof TokenError) return { code: error.code, detail: error.detail };
    throw error;
  }
  throw new Error('expected a TokenError');
}

const decode = (token: string) => decodeRefreshToken(token, ring);

/** An inner token `header ‖ key id ‖ GCM(refresh key, payload)` with any payload. */
function craft(header: [number, number], payload: Buffer): string {
  const head = Buffer.alloc(6);
  [head[0], head[1]] = header;
  head.writeInt32BE(refreshKey.id, 2);
  return Buffer.concat([head, gcmEncrypt(refreshKey.secret, payload, Buffer.alloc(12))]).toString('base64');
}

describe('encodeRefreshToken', () => {
  it('produces 168 characters that decode to the same identity', () => {
    const token = validRefresh({ identity: { scope: 'EUID', type: 'phone' }, privacyBits: 3 });
    expect(token).toHaveLength(168);
    expect(token.slice(0, 2)).toBe('F3');
    expect(decode(token)).toMatchObject({
      version: 3,
      identityScope: 'EUID',
      identityType: 'phone',
      privacyBits: 3,
      siteId: 123,
    });
  });

  it('refuses a first-level hash that is not 32 bytes', () => {
    expect(() => validRefresh({ firstLevelHash: Buffer.alloc(33) })).toThrow(TypeError);
  });

  it('exposes the 2021-03-08T17:00Z deprecation cut-off', () => {
    expect(new Date(REFRESH_TOKEN_CUTOFF_MS).toISOString()).toBe('2021-03-08T17:00:00.000Z');
  });
});

describe('decodeRefreshToken errors', () => {
  it('treats empty text and unknown version bytes as a version error', () => {
    expect(failure(() => decode('')).code).toBe('ERR_TOKEN_VERSION');
    expect(failure(() => decode('A5AAAAAA')).code).toBe('ERR_TOKEN_VERSION');
  });

  it('rejects text that is not strict base64 and bodies under 2 bytes', () => {
    expect(failure(() => decode('not base64!')).code).toBe('ERR_TOKEN_NOT_BASE64');
    expect(failure(() => decode(validRefresh().replace(/\+/g, '-'))).code).toBe('ERR_TOKEN_NOT_BASE64');
    expect(failure(() => decode('AA==')).code).toBe('ERR_TOKEN_MALFORMED');
  });

  it('names an unknown key and fails decryption under a different secret', () => {
    expect(failure(() => decodeRefreshToken(validRefresh(), createKeyRing([], [])))).toEqual({
      code: 'ERR_TOKEN_UNKNOWN_KEY',
      detail: 102,
    });
    const impostor = createKeyRing([{ ...refreshKey, secret: Buffer.alloc(32, 1) }], []);
    expect(failure(() => decodeRefreshToken(validRefresh(), impostor)).code).toBe('ERR_TOKEN_DECRYPT');
  });

  it('rejects truncated tokens and payloads', () => {
    expect(failure(() => decode(Buffer.from([3, 0x70, 0, 0]).toString('base64'))).code).toBe(
      'ERR_TOKEN_MALFORMED',
    );
    expect(failure(() => decode(craft([3, 0x70], Buffer.alloc(89)))).code).toBe('ERR_TOKEN_MALFORMED');
  });

  it('requires the payload identity byte to match byte 0', () => {
    const payload = (ib: number) => {
      const p = Buffer.alloc(90);
      p[57] = ib;
      return p;
    };
    expect(decode(craft([0x07, 0x70], payload(0x07))).identityType).toBe('phone');
    expect(failure(() => decode(craft([0x03, 0x70], payload(0x13)))).code).toBe('ERR_TOKEN_SCOPE_MISMATCH');
    expect(failure(() => decode(craft([0x03, 0x70], payload(0x07)))).code).toBe('ERR_TOKEN_SCOPE_MISMATCH');
    expect(failure(() => decode(craft([0x0b, 0x70], payload(0x03)))).code).toBe('ERR_TOKEN_MALFORMED');
    expect(failure(() => decode(craft([0x03, 0x70], payload(0x0b)))).code).toBe('ERR_TOKEN_MALFORMED');
  });

  it('checks expiry only when asked', () => {
    const expiresMs = refreshInput().expiresMs;
    expect(decodeRefreshToken(validRefresh(), ring, { nowMs: expiresMs }).expiresMs).toBe(expiresMs);
    expect(failure(() => decodeRefreshToken(validRefresh(), ring, { nowMs: expiresMs + 1 })).code).toBe(
      'ERR_TOKEN_EXPIRED',
    );
  });
});

describe('decodeRefreshToken V2', () => {
  const v2 = (firstLevelHash: Uint8Array = Buffer.alloc(32, 0xcd)) =>
    encodeRefreshTokenV2({
      key: refreshKey,
      createdMs: NOW,
      expiresMs: NOW + 1000,
      siteId: 123,
      firstLevelHash,
      privacyBits: 1,
      establishedMs: NOW - 5,
      iv: Buffer.alloc(16, 4),
    });

  it('decodes as UID2 email and uses the valid-till field as expiry', () => {
    const decoded = decode(v2());
    expect(decoded).toMatchObject({
      version: 2,
      identityScope: 'UID2',
      identityType: 'email',
      keyId: 102,
      createdMs: NOW,
      expiresMs: NOW + 61_000,
      operator: null,
      siteId: 123,
      privacyBits: 1,
      establishedMs: NOW - 5,
    });
    expect(decoded.firstLevelHash.equals(Buffer.alloc(32, 0xcd))).toBe(true);
  });

  it('reports truncation, unknown keys and failed decryption', () => {
    const bytes = Buffer.from(v2(), 'base64');
    expect(failure(() => decode(bytes.subarray(0, 28).toString('base64'))).code).toBe('ERR_TOKEN_MALFORMED');
    expect(failure(() => decodeRefreshToken(v2(), createKeyRing([], [])))).toEqual({
      code: 'ERR_TOKEN_UNKNOWN_KEY',
      detail: 102,
    });
    expect(failure(() => decode(bytes.subarray(0, bytes.length - 16).toString('base64'))).code).toBe(
      'ERR_TOKEN_DECRYPT',
    );
  });
});
