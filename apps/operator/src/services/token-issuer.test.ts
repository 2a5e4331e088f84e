import { randomBytes } from 'node:crypto';
import {
  createKeyRing,
  decodeAdvertisingToken,
  decodeRefreshToken,
  unwrapRefreshToken,
  type EncryptionKey,
  type Keyset,
} from '@uid2-operator/token-core';
import { describe, expect, it } from 'vitest';
import { testConfig, type OperatorConfig } from '../config.js';
import { ApiError } from '../errors.js';
import { RandomPool } from '../lib/random-pool.js';
import { issueTokens, NO_ACTIVE_KEY_MESSAGE, type IssueInput } from './token-issuer.js';

const NOW = 1_767_225_600_123;
const ESTABLISHED = 1_700_000_000_000;

function key(id: number, keysetId: number): EncryptionKey {
  return {
    id,
    keysetId,
    secret: randomBytes(32),
    createdSeconds: 1_600_000_000,
    activatesSeconds: 1_600_000_000,
    expiresSeconds: 4_000_000_000,
  };
}

const keysets: Keyset[] = [
  { keysetId: -1, siteId: -1, allowedSites: null, enabled: true, isDefault: true },
  { keysetId: -2, siteId: -2, allowedSites: null, enabled: true, isDefault: true },
  { keysetId: 2, siteId: 2, allowedSites: null, enabled: true, isDefault: true },
  { keysetId: 10, siteId: 999, allowedSites: [], enabled: true, isDefault: true },
];
const keys = [key(1, -1), key(2, -2), key(3, 2), key(4, 10)];
const keyRing = createKeyRing(keys, keysets);

const input: IssueInput = {
  type: 'phone',
  firstLevelHash: randomBytes(32),
  rawUid: randomBytes(32),
  siteId: 999,
  privacyBits: 3,
  establishedMs: ESTABLISHED,
  nowMs: NOW,
};

function issue(overrides: Partial<IssueInput> = {}, config: OperatorConfig = testConfig(), ring = keyRing) {
  return issueTokens({ ...input, ...overrides }, { keyRing: ring, config, random: new RandomPool(1024) });
}

describe('issueTokens', () => {
  it('mints a V4 advertising token that decrypts with the master and site keys', () => {
    const body = issue();
    const token = decodeAdvertisingToken(body.advertising_token, keyRing);
    expect(token.version).toBe(4);
    expect(token.masterKeyId).toBe(1);
    expect(token.siteKeyId).toBe(4);
    expect(token.identityScope).toBe('UID2');
    expect(token.identityType).toBe('phone');
    expect(token.siteId).toBe(999);
    expect(token.privacyBits).toBe(3);
    expect(token.establishedMs).toBe(ESTABLISHED);
    expect(token.refreshedMs).toBe(NOW);
    expect(token.createdMs).toBe(NOW);
    expect(token.expiresMs).toBe(NOW + 3_600_000);
    expect(token.rawUid.equals(input.rawUid)).toBe(true);
  });

  it('wraps the refresh token in 388 characters that unwrap with the refresh key to the response key', () => {
    const body = issue();
    expect(body.refresh_token).toHaveLength(388);
    const unwrapped = unwrapRefreshToken(body.refresh_token, keyRing);
    expect(unwrapped.keyId).toBe(2);
    expect(unwrapped.refreshResponseKey.toString('base64')).toBe(body.refresh_response_key);
    expect(unwrapped.refreshResponseKey).toHaveLength(32);
    const inner = decodeRefreshToken(unwrapped.innerToken, keyRing);
    expect(inner.keyId).toBe(2);
    expect(inner.identityType).toBe('phone');
    expect(inner.siteId).toBe(999);
    expect(inner.privacyBits).toBe(3);
    expect(inner.establishedMs).toBe(ESTABLISHED);
    expect(inner.createdMs).toBe(NOW);
    expect(inner.expiresMs).toBe(NOW + 86_400_000);
    expect(inner.firstLevelHash.equals(input.firstLevelHash)).toBe(true);
  });

  it('sets the lifetimes from the configuration, in epoch milliseconds', () => {
    const config = testConfig({
      identityTokenExpiresAfterSeconds: 259_200,
      refreshTokenExpiresAfterSeconds: 2_592_000,
      refreshIdentityTokenAfterSeconds: 3600,
    });
    const body = issue({}, config);
    expect(body.identity_expires).toBe(NOW + 259_200_000);
    expect(body.refresh_expires).toBe(NOW + 2_592_000_000);
    expect(body.refresh_from).toBe(NOW + 3_600_000);
    expect(decodeAdvertisingToken(body.advertising_token, keyRing).expiresMs).toBe(body.identity_expires);
  });

  it('issues a fresh refresh response key every time', () => {
    expect(issue().refresh_response_key).not.toBe(issue().refresh_response_key);
  });

  it('writes the EUID scope into both tokens and the wrapper', () => {
    const body = issue({ type: 'email' }, testConfig({ identityScope: 'EUID' }));
    expect(body.advertising_token.startsWith('E4')).toBe(true);
    expect(body.refresh_token.startsWith('EA')).toBe(true);
    expect(
      decodeRefreshToken(unwrapRefreshToken(body.refresh_token, keyRing).innerToken, keyRing).identityScope,
    ).toBe('EUID');
  });

  it('falls back to the site-2 key for a site without a default keyset', () => {
    const token = decodeAdvertisingToken(issue({ siteId: 555 }).advertising_token, keyRing);
    expect(token.siteKeyId).toBe(3);
    expect(token.siteId).toBe(555);
  });

  it('throws 500 unknown "No active encryption key available" when a master, site or refresh key is missing', () => {
    for (const missing of [-1, -2, 10]) {
      const ring = createKeyRing(
        keys.filter((k) => k.keysetId !== missing && (missing !== 10 || k.keysetId !== 2)),
        keysets,
      );
      let thrown: unknown;
      try {
        issue({}, testConfig(), ring);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ApiError);
      expect(thrown).toMatchObject({ status: 'unknown', httpStatus: 500, message: NO_ACTIVE_KEY_MESSAGE });
    }
  });
});
