import { describe, expect, it } from 'vitest';
import { type SdkDecryptContext, type SdkKey, decryptTokenForSdk } from './sdk-decrypt.js';
import { encodeAdvertisingTokenV2 } from './test-support/legacy-v2.js';
import { NOW, adInput, masterKey, siteKey, validV4 } from './test-support/tokens.js';
import { encodeAdvertisingTokenBytes } from './encode-advertising-token.js';

const context: SdkDecryptContext = {
  nowMs: NOW,
  clientType: 'BIDSTREAM',
  identityScope: 'UID2',
  maxLifetimeSeconds: 3610,
  allowClockSkewSeconds: 1800,
};
const keys: SdkKey[] = [masterKey, { ...siteKey, siteId: 123 }];
const decrypt = (
  token: string,
  overrides: Partial<SdkDecryptContext> = {},
  withKeys: readonly SdkKey[] = keys,
) => decryptTokenForSdk(token, withKeys, { ...context, ...overrides });

const v2 = (expiresMs: number) =>
  encodeAdvertisingTokenV2({
    masterKey,
    siteKey,
    expiresMs,
    siteId: 123,
    rawUid: Buffer.alloc(32, 1),
    privacyBits: 1,
    establishedMs: NOW - 10,
    masterIv: Buffer.alloc(16),
    siteIv: Buffer.alloc(16),
  });

describe('decryptTokenForSdk', () => {
  it('returns the uid, sites, scope and type of a valid token', () => {
    expect(decrypt(validV4())).toEqual({
      status: 'SUCCESS',
      uid: Buffer.alloc(32, 0xab).toString('base64'),
      establishedMs: NOW - 1000,
      siteId: 123,
      siteKeySiteId: 123,
      identityScope: 'UID2',
      identityType: 'email',
      advertisingTokenVersion: 4,
      isClientSideGenerated: false,
      expiresMs: NOW + 3_600_000,
    });
  });

  it('needs at least one key that has not expired', () => {
    expect(decrypt(validV4(), {}, []).status).toBe('KEYS_NOT_SYNCED');
    const expired = keys.map((key) => ({ ...key, expiresSeconds: NOW / 1000 }));
    expect(decrypt(validV4(), {}, expired).status).toBe('KEYS_NOT_SYNCED');
  });

  it('reports short, garbled and unknown-version tokens', () => {
    expect(decrypt('A4A').status).toBe('INVALID_PAYLOAD');
    expect(decrypt('A5AAAAAAAA').status).toBe('VERSION_NOT_SUPPORTED');
    expect(decrypt('!!!!AAAAAA').status).toBe('INVALID_PAYLOAD');
    expect(decrypt(validV4().slice(0, 100)).status).toBe('INVALID_PAYLOAD');
  });

  it('reports a missing master or site key', () => {
    expect(decrypt(validV4(), {}, [siteKey])).toMatchObject({
      status: 'NOT_AUTHORIZED_FOR_MASTER_KEY',
      expiresMs: null,
    });
    expect(decrypt(validV4(), {}, [masterKey])).toMatchObject({
      status: 'NOT_AUTHORIZED_FOR_KEY',
      uid: null,
      siteId: null,
      identityType: 'email',
      advertisingTokenVersion: 4,
    });
  });

  it('reports an expired token and applies lifetime limits per client type', () => {
    expect(decrypt(validV4(), { nowMs: NOW + 3_600_001 })).toMatchObject({
      status: 'EXPIRED_TOKEN',
      uid: null,
    });
    expect(decrypt(validV4(), { maxLifetimeSeconds: 3599 })).toMatchObject({
      status: 'INVALID_TOKEN_LIFETIME',
      uid: null,
      siteId: 123,
    });
    expect(decrypt(validV4(), { maxLifetimeSeconds: 3599, clientType: 'LEGACY' }).status).toBe('SUCCESS');
    expect(decrypt(validV4(), { maxLifetimeSeconds: null, clientType: 'SHARING' }).status).toBe('SUCCESS');
    expect(decrypt(validV4(), { nowMs: NOW - 1_800_001 }).status).toBe('INVALID_TOKEN_LIFETIME');
    expect(decrypt(validV4(), { nowMs: NOW - 1_800_000 }).status).toBe('SUCCESS');
  });

  it('reproduces the Python SDK privacy-bit reading (bit 30, not bit 1)', () => {
    expect(decrypt(validV4({ privacyBits: 3 })).isClientSideGenerated).toBe(false);
    expect(decrypt(validV4({ privacyBits: 0x4000_0000 })).isClientSideGenerated).toBe(true);
  });

  it('reports the key response scope and decodes V3 tokens', () => {
    const v3 = encodeAdvertisingTokenBytes(
      adInput({ identity: { scope: 'EUID', type: 'phone' } }),
      3,
    ).toString('base64');
    expect(decrypt(v3)).toMatchObject({
      status: 'SUCCESS',
      identityScope: 'UID2',
      identityType: 'phone',
      advertisingTokenVersion: 3,
    });
  });

  it('decodes V2 tokens, checking the remaining lifetime against now', () => {
    expect(decrypt(v2(NOW + 1000))).toMatchObject({
      status: 'SUCCESS',
      uid: Buffer.alloc(32, 1).toString('base64'),
      identityType: null,
      advertisingTokenVersion: 2,
      isClientSideGenerated: false,
      siteKeySiteId: 123,
    });
    expect(decrypt(v2(NOW + 1000), {}, [masterKey, siteKey]).siteKeySiteId).toBe(-1);
    expect(decrypt(v2(NOW + 3_610_001))).toMatchObject({
      status: 'INVALID_TOKEN_LIFETIME',
      uid: Buffer.alloc(32, 1).toString('base64'),
    });
    expect(decrypt(v2(NOW - 1))).toMatchObject({
      status: 'EXPIRED_TOKEN',
      establishedMs: null,
      advertisingTokenVersion: 2,
    });
    expect(decrypt(v2(NOW + 1000), {}, [masterKey]).status).toBe('NOT_AUTHORIZED_FOR_KEY');
    expect(decrypt(v2(NOW + 1000), {}, [siteKey]).status).toBe('NOT_AUTHORIZED_FOR_MASTER_KEY');
  });
});
