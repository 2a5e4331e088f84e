import { gcmEncrypt } from '@uid2-operator/crypto-envelope';
import { describe, expect, it } from 'vitest';
import { unwrapRefreshToken, wrapRefreshToken } from './refresh-wrapper.js';
import { refreshKey, ring, validRefresh } from './test-support/tokens.js';
import { TokenError, type TokenErrorCode, refreshWrapperErrorMessage } from './token-error.js';

function failure(run: () => unknown): TokenError {
  try {
    run();
  } catch (error) {
    if (error instanceof TokenError) return error;
    throw error;
  }
  throw new Error('expected a TokenError');
}

const responseKey = Buffer.alloc(32, 0x42);
const wrap = (innerToken = validRefresh()) =>
  wrapRefreshToken({
    scope: 'EUID',
    innerToken,
    refreshResponseKey: responseKey,
    refreshKey,
    iv: Buffer.alloc(12, 6),
  });

/** A wrapper around arbitrary plaintext, encrypted with the refresh key. */
function craft(plaintext: string): string {
  const head = Buffer.alloc(5);
  head.writeInt32BE(refreshKey.id, 1);
  return Buffer.concat([
    head,
    gcmEncrypt(refreshKey.secret, Buffer.from(plaintext), Buffer.alloc(12)),
  ]).toString('base64');
}

describe('wrapRefreshToken', () => {
  it('gives 388 characters starting with EA for EUID and unwraps to its parts', () => {
    const wrapped = wrap();
    expect(wrapped).toHaveLength(388);
    expect(wrapped.slice(0, 2)).toBe('EA');
    const unwrapped = unwrapRefreshToken(wrapped, ring);
    expect(unwrapped).toMatchObject({ innerToken: validRefresh(), keyId: 102 });
    expect(unwrapped.refreshResponseKey.equals(responseKey)).toBe(true);
  });

  it('refuses an inner token that is not 168 characters and a response key that is not 32 bytes', () => {
    expect(() => wrap('short')).toThrow(TypeError);
    expect(() =>
      wrapRefreshToken({
        scope: 'UID2',
        innerToken: validRefresh(),
        refreshResponseKey: Buffer.alloc(16),
        refreshKey,
        iv: Buffer.alloc(12),
      }),
    ).toThrow(TypeError);
  });
});

describe('unwrapRefreshToken errors', () => {
  it('rejects bodies under 5 bytes', () => {
    expect(failure(() => unwrapRefreshToken('AAAA', ring)).code).toBe('ERR_TOKEN_MALFORMED');
  });

  it.each([
    ['not JSON', 'hello'],
    ['a JSON array', '[1]'],
    ['JSON without refresh_response_key', `{"refresh_token":"${validRefresh()}"}`],
    ['a response key that is not base64', `{"refresh_response_key":"***","refresh_token":"x"}`],
    [
      'a response key of 16 bytes',
      `{"refresh_response_key":"${Buffer.alloc(16).toString('base64')}","refresh_token":"x"}`,
    ],
    [
      'a numeric refresh_token',
      `{"refresh_response_key":"${responseKey.toString('base64')}","refresh_token":5}`,
    ],
  ])('rejects a wrapper holding %s', (_what, plaintext) => {
    expect(failure(() => unwrapRefreshToken(craft(plaintext), ring)).code).toBe('ERR_TOKEN_WRAPPER_JSON');
  });

  it('fails decryption of a tampered wrapper', () => {
    const bytes = Buffer.from(wrap(), 'base64');
    bytes[100] = (bytes[100] ?? 0) ^ 1;
    expect(failure(() => unwrapRefreshToken(bytes.toString('base64'), ring)).code).toBe('ERR_TOKEN_DECRYPT');
  });
});

describe('refreshWrapperErrorMessage', () => {
  it.each<[TokenErrorCode, string]>([
    ['ERR_TOKEN_NOT_BASE64', 'Invalid body: Body is not valid base64.'],
    ['ERR_TOKEN_WRAPPER_JSON', 'Invalid format: Payload is not valid json or missing required data.'],
    ['ERR_TOKEN_DECRYPT', 'Invalid data: Check encryption method and encryption key.'],
    ['ERR_TOKEN_MALFORMED', 'Invalid data: Check encryption method and encryption key.'],
    ['ERR_TOKEN_VERSION', 'Invalid data: Check encryption method and encryption key.'],
    ['ERR_TOKEN_SCOPE_MISMATCH', 'Invalid data: Check encryption method and encryption key.'],
    ['ERR_TOKEN_EXPIRED', 'Invalid data: Check encryption method and encryption key.'],
  ])('maps %s to its 400 message', (code, message) => {
    expect(refreshWrapperErrorMessage(new TokenError(code))).toBe(message);
  });

  it('names the missing key id, signed as the reference reads it', () => {
    expect(refreshWrapperErrorMessage(new TokenError('ERR_TOKEN_UNKNOWN_KEY', -5))).toBe(
      'Invalid key: Generator of this token (Key ID: -5) does not exist.',
    );
    expect(refreshWrapperErrorMessage(new TokenError('ERR_TOKEN_UNKNOWN_KEY'))).toContain('(Key ID: 0)');
  });
});
