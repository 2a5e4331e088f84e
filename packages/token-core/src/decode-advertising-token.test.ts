import { describe, expect, it } from 'vitest';
import { decodeAdvertisingToken } from './decode-advertising-token.js';
import { encodeAdvertisingTokenBytes } from './encode-advertising-token.js';
import { createKeyRing } from './key-ring.js';
import { cbcEncrypt, encodeAdvertisingTokenV2 } from './test-support/legacy-v2.js';
import { key } from './test-support/keys.js';
import {
  NOW,
  adInput,
  craftMasterPayload,
  craftToken,
  masterKey,
  ring,
  siteKey,
  validV4,
} from './test-support/tokens.js';
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

const decode = (token: string) => decodeAdvertisingToken(token, ring);
const url = (bytes: Buffer) => bytes.toString('base64url');

describe('encodeAdvertisingTokenV4', () => {
  it('starts with A4, B4, E4 or F4 by scope and type, and is 218 or 219 characters long', () => {
    expect(validV4().slice(0, 2)).toBe('A4');
    expect(validV4({ identity: { scope: 'UID2', type: 'phone' } }).slice(0, 2)).toBe('B4');
    expect(
      validV4({ identity: { scope: 'EUID', type: 'email' }, rawUid: Buffer.alloc(33, 0x10) }).slice(0, 2),
    ).toBe('E4');
    expect(
      validV4({ identity: { scope: 'EUID', type: 'phone' }, rawUid: Buffer.alloc(33, 0x14) }),
    ).toHaveLength(219);
    expect(validV4()).toHaveLength(218);
  });

  it('round-trips every field, including large privacy bits', () => {
    const decoded = decode(validV4({ privacyBits: 0x8000_0003 }));
    expect(decoded).toMatchObject({
      version: 4,
      identityScope: 'UID2',
      identityType: 'email',
      siteId: 123,
      createdMs: NOW,
    });
    expect(decoded.privacyBits >>> 0).toBe(0x8000_0003);
  });

  it('writes a V3 token with the same bytes but version 0x70, decodable from standard base64', () => {
    const v3 = encodeAdvertisingTokenBytes(adInput(), 3);
    expect(v3[1]).toBe(0x70);
    expect(decode(v3.toString('base64')).version).toBe(3);
  });
});

describe('decodeAdvertisingToken errors', () => {
  it('rejects text too short, not base64, or of an unknown version', () => {
    expect(failure(() => decode('A4A')).code).toBe('ERR_TOKEN_MALFORMED');
    expect(failure(() => decode('AA==')).code).toBe('ERR_TOKEN_MALFORMED');
    expect(failure(() => decode('!!!!xyz')).code).toBe('ERR_TOKEN_NOT_BASE64');
    expect(failure(() => decode('A5AAAAAA')).code).toBe('ERR_TOKEN_VERSION');
    expect(failure(() => decode(validV4().replace(/-/g, '+'))).code).toBe('ERR_TOKEN_NOT_BASE64');
    expect(failure(() => decode(`${validV4()} `)).code).toBe('ERR_TOKEN_NOT_BASE64');
  });

  it('names an unknown master or site key id', () => {
    expect(failure(() => decodeAdvertisingToken(validV4(), createKeyRing([siteKey], [])))).toEqual({
      code: 'ERR_TOKEN_UNKNOWN_KEY',
      detail: 101,
    });
    expect(failure(() => decodeAdvertisingToken(validV4(), createKeyRing([masterKey], [])))).toEqual({
      code: 'ERR_TOKEN_UNKNOWN_KEY',
      detail: 104,
    });
  });

  it('fails decryption under a different key with the same id', () => {
    const impostor = { ...masterKey, secret: Buffer.alloc(32, 0x55) };
    expect(
      failure(() => decodeAdvertisingToken(validV4(), createKeyRing([impostor, siteKey], []))).code,
    ).toBe('ERR_TOKEN_DECRYPT');
  });

  it('rejects truncated layers', () => {
    expect(failure(() => decode(url(Buffer.from([3, 0x80, 0, 0])))).code).toBe('ERR_TOKEN_MALFORMED');
    expect(failure(() => decode(url(craftToken([3, 0x80], Buffer.alloc(32))))).code).toBe(
      'ERR_TOKEN_MALFORMED',
    );
    const shortSite = craftMasterPayload(Buffer.alloc(36 + 31));
    expect(failure(() => decode(url(craftToken([3, 0x80], shortSite)))).code).toBe('ERR_TOKEN_MALFORMED');
  });

  it('rejects unassigned identity type bits', () => {
    const site = craftMasterPayload(Buffer.alloc(36 + 32));
    expect(failure(() => decode(url(craftToken([0x0b, 0x80], site)))).code).toBe('ERR_TOKEN_MALFORMED');
  });

  it('requires a 33-byte raw UID to agree with the token header on scope and type', () => {
    const euidEmail = Buffer.alloc(33, 0);
    euidEmail[0] = 0x10;
    const site = (rawUid: Buffer) => craftMasterPayload(Buffer.concat([Buffer.alloc(36), rawUid]));
    expect(decode(url(craftToken([0x13, 0x80], site(euidEmail)))).identityScope).toBe('EUID');
    expect(failure(() => decode(url(craftToken([0x03, 0x80], site(euidEmail))))).code).toBe(
      'ERR_TOKEN_SCOPE_MISMATCH',
    );
    expect(failure(() => decode(url(craftToken([0x17, 0x80], site(euidEmail))))).code).toBe(
      'ERR_TOKEN_SCOPE_MISMATCH',
    );
    expect(decode(url(craftToken([0x17, 0x80], site(Buffer.alloc(32))))).identityType).toBe('phone');
  });

  it('checks expiry only when asked, and accepts a token at its expiry millisecond', () => {
    const token = validV4();
    const expiresMs = NOW + 3_600_000;
    expect(decodeAdvertisingToken(token, ring, { nowMs: expiresMs }).expiresMs).toBe(expiresMs);
    expect(failure(() => decodeAdvertisingToken(token, ring, { nowMs: expiresMs + 1 })).code).toBe(
      'ERR_TOKEN_EXPIRED',
    );
    expect(decodeAdvertisingToken(token, ring).expiresMs).toBe(expiresMs);
  });
});

describe('decodeAdvertisingToken V2', () => {
  const v2 = (overrides: { rawUid?: Buffer; siteKeyId?: number } = {}) =>
    encodeAdvertisingTokenV2({
      masterKey,
      siteKey: { ...siteKey, id: overrides.siteKeyId ?? siteKey.id },
      expiresMs: NOW + 1000,
      siteId: 123,
      rawUid: overrides.rawUid ?? Buffer.alloc(32, 9),
      privacyBits: 1,
      establishedMs: NOW,
      masterIv: Buffer.alloc(16, 1),
      siteIv: Buffer.alloc(16, 2),
    });

  it('decodes as UID2 email with no operator fields', () => {
    expect(decode(v2())).toMatchObject({
      version: 2,
      identityScope: 'UID2',
      identityType: 'email',
      operator: null,
      siteId: 123,
    });
  });

  it('reports unknown keys, failed decryption and truncation', () => {
    expect(failure(() => decode(v2({ siteKeyId: 999 })))).toEqual({
      code: 'ERR_TOKEN_UNKNOWN_KEY',
      detail: 999,
    });
    expect(failure(() => decode(Buffer.from([2, 0, 0, 0]).toString('base64'))).code).toBe(
      'ERR_TOKEN_MALFORMED',
    );
    const bytes = Buffer.from(v2(), 'base64');
    expect(failure(() => decode(bytes.subarray(0, bytes.length - 1).toString('base64'))).code).toBe(
      'ERR_TOKEN_DECRYPT',
    );
    const wrongMaster = createKeyRing([{ ...masterKey, secret: Buffer.alloc(32, 0x77) }, siteKey], []);
    expect(failure(() => decodeAdvertisingToken(v2(), wrongMaster)).code).toBe('ERR_TOKEN_DECRYPT');
  });

  it('rejects an identity text that is not base64 and a length that overruns the payload', () => {
    const withIdentity = (identity: Buffer) => {
      const site = cbcEncrypt(siteKey.secret, Buffer.alloc(16, 2), identity);
      const head = Buffer.alloc(12);
      head.writeInt32BE(siteKey.id, 8);
      const master = cbcEncrypt(masterKey.secret, Buffer.alloc(16, 1), Buffer.concat([head, site]));
      const token = Buffer.alloc(5, 2);
      token.writeInt32BE(masterKey.id, 1);
      return Buffer.concat([token, master]).toString('base64');
    };
    const block = (length: number, text: string) => {
      const out = Buffer.alloc(8 + text.length + 12);
      out.writeInt32BE(123, 0);
      out.writeInt32BE(length, 4);
      out.write(text, 8, 'latin1');
      return out;
    };
    expect(decode(withIdentity(block(4, 'AAAA'))).rawUid.toString('hex')).toBe('000000');
    expect(failure(() => decode(withIdentity(block(4, '!!!!')))).code).toBe('ERR_TOKEN_MALFORMED');
    expect(failure(() => decode(withIdentity(block(5, 'AAAA')))).code).toBe('ERR_TOKEN_MALFORMED');
    expect(failure(() => decode(withIdentity(block(-1, 'AAAA')))).code).toBe('ERR_TOKEN_MALFORMED');
    expect(failure(() => decode(withIdentity(Buffer.alloc(4)))).code).toBe('ERR_TOKEN_MALFORMED');
  });

  it('uses key ids from any keyset', () => {
    const other = key(104, 999);
    expect(decodeAdvertisingToken(v2(), createKeyRing([masterKey, other], [])).siteKeyId).toBe(104);
  });
});
