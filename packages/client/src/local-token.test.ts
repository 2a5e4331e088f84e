import { decryptTokenForSdk, encodeAdvertisingTokenV4 } from '@uid2-operator/token-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySnapshot } from './key-snapshot.js';
import type { KeysResponse, ServedKey } from './keys-response.js';
import { decryptWithSnapshot, encryptWithSnapshot } from './local-token.js';

const NOW = 1_767_225_600_000;
const SECONDS = NOW / 1000;

function key(
  id: number,
  keysetId: number | undefined,
  activates = SECONDS - 3600,
  expires = SECONDS + 86_400,
): ServedKey {
  return {
    id,
    keysetId,
    siteId: undefined,
    createdSeconds: activates,
    activatesSeconds: activates,
    expiresSeconds: expires,
    secret: Buffer.alloc(32, id),
  };
}

function response(overrides: Partial<KeysResponse> = {}): KeysResponse {
  return {
    source: 'sharing',
    identityScope: 'UID2',
    allowClockSkewSeconds: 1800,
    keys: [key(1, 9_999_999), key(2, 9_999_999, SECONDS + 60), key(10, 501), key(20, undefined)],
    siteData: [{ siteId: 77, domainNames: ['Pub.example'] }],
    callerSiteId: 123,
    masterKeysetId: 9_999_999,
    defaultKeysetId: 501,
    tokenExpirySeconds: 2_592_000,
    maxSharingLifetimeSeconds: 2_592_010,
    maxBidstreamLifetimeSeconds: 3_610,
    ...overrides,
  };
}

const RAW_UID = Buffer.alloc(32, 0xab).toString('base64');

function token(
  options: {
    siteId?: number;
    privacyBits?: number;
    createdMs?: number;
    lifetimeMs?: number;
    siteKey?: number;
  } = {},
): string {
  const createdMs = options.createdMs ?? NOW;
  return encodeAdvertisingTokenV4({
    identity: { scope: 'UID2', type: 'email' },
    siteId: options.siteId ?? 77,
    privacyBits: options.privacyBits ?? 1,
    establishedMs: createdMs,
    refreshedMs: createdMs,
    createdMs,
    expiresMs: createdMs + (options.lifetimeMs ?? 3_600_000),
    rawUid: Buffer.from(RAW_UID, 'base64'),
    masterKey: { id: 1, secret: Buffer.alloc(32, 1) },
    siteKey: { id: options.siteKey ?? 20, secret: Buffer.alloc(32, options.siteKey ?? 20) },
    masterIv: Buffer.alloc(12, 3),
    siteIv: Buffer.alloc(12, 4),
  });
}

describe('KeySnapshot', () => {
  it('picks the latest-activated unexpired key of a keyset', () => {
    const snapshot = new KeySnapshot(response());
    expect(snapshot.activeKey(9_999_999, NOW)?.id).toBe(1);
    expect(snapshot.activeKey(9_999_999, NOW + 61_000)?.id).toBe(2);
    expect(snapshot.activeKey(501, (SECONDS + 86_400) * 1000)).toBeUndefined();
    expect(snapshot.activeKey(42, NOW)).toBeUndefined();
    expect(snapshot.byId(20)?.keysetId).toBe(0);
  });

  it('matches domains and app names case-insensitively and exactly', () => {
    const snapshot = new KeySnapshot(response());
    expect(snapshot.allowsDomainOrAppName(77, 'PUB.example')).toBe(true);
    expect(snapshot.allowsDomainOrAppName(77, 'www.pub.example')).toBe(false);
    expect(snapshot.allowsDomainOrAppName(78, 'pub.example')).toBe(false);
  });
});

describe('decryptWithSnapshot', () => {
  it('decrypts a bidstream token into its raw UID2', () => {
    const result = decryptWithSnapshot(new KeySnapshot(response({ source: 'bidstream' })), token(), NOW);
    expect(result).toMatchObject({
      status: 'SUCCESS',
      uid: RAW_UID,
      siteId: 77,
      identityType: 'email',
      isClientSideGenerated: false,
    });
  });

  it('checks the domain of client-side generated tokens in the bidstream only', () => {
    const bidstream = new KeySnapshot(response({ source: 'bidstream' }));
    const cstg = token({ privacyBits: 3 });
    expect(decryptWithSnapshot(bidstream, cstg, NOW, 'pub.example')).toMatchObject({
      status: 'SUCCESS',
      isClientSideGenerated: true,
    });
    expect(decryptWithSnapshot(bidstream, cstg, NOW, 'other.example')).toMatchObject({
      status: 'DOMAIN_OR_APP_NAME_CHECK_FAILED',
      uid: null,
    });
    expect(decryptWithSnapshot(bidstream, cstg, NOW).status).toBe('DOMAIN_OR_APP_NAME_CHECK_FAILED');
    expect(decryptWithSnapshot(new KeySnapshot(response()), cstg, NOW).status).toBe('SUCCESS');
  });

  it('reports the SDK statuses for expired, too long-lived, unknown-key and garbled tokens', () => {
    const bidstream = new KeySnapshot(response({ source: 'bidstream' }));
    expect(decryptWithSnapshot(bidstream, token({ createdMs: NOW - 7_200_000 }), NOW).status).toBe(
      'EXPIRED_TOKEN',
    );
    expect(decryptWithSnapshot(bidstream, token({ lifetimeMs: 86_400_000 }), NOW).status).toBe(
      'INVALID_TOKEN_LIFETIME',
    );
    expect(decryptWithSnapshot(bidstream, token({ createdMs: NOW + 3_600_000 }), NOW).status).toBe(
      'INVALID_TOKEN_LIFETIME',
    );
    expect(decryptWithSnapshot(bidstream, token({ siteKey: 99 }), NOW).status).toBe('NOT_AUTHORIZED_FOR_KEY');
    expect(decryptWithSnapshot(bidstream, 'not a token', NOW).status).toBe('VERSION_NOT_SUPPORTED');
    expect(decryptWithSnapshot(bidstream, 'abc', NOW).status).toBe('INVALID_PAYLOAD');
    const stale = new KeySnapshot(response({ keys: [key(1, 9_999_999, SECONDS - 7200, SECONDS - 1)] }));
    expect(decryptWithSnapshot(stale, token(), NOW).status).toBe('KEYS_NOT_SYNCED');
  });

  it('agrees with token-core on every status and field for random tokens and clocks', () => {
    const snapshot = new KeySnapshot(response({ source: 'bidstream' }));
    fc.assert(
      fc.property(
        fc.integer({ min: -7_200_000, max: 7_200_000 }),
        fc.integer({ min: 0, max: 8_000_000 }),
        fc.constantFrom(1, 3),
        fc.constantFrom(10, 20, 30),
        (createdOffset, lifetimeMs, privacyBits, siteKey) => {
          const text = token({ createdMs: NOW + createdOffset, lifetimeMs, privacyBits, siteKey, siteId: 5 });
          const ours = decryptWithSnapshot(snapshot, text, NOW, 'x');
          const reference = decryptTokenForSdk(text, snapshot.sdkKeys, {
            nowMs: NOW,
            clientType: 'BIDSTREAM',
            identityScope: 'UID2',
            maxLifetimeSeconds: 3_610,
            allowClockSkewSeconds: 1800,
          });
          const expectedStatus =
            reference.status === 'SUCCESS' && privacyBits === 3
              ? 'DOMAIN_OR_APP_NAME_CHECK_FAILED'
              : reference.status;
          expect(ours.status).toBe(expectedStatus);
          if (ours.status === 'SUCCESS') expect({ ...ours, isClientSideGenerated: false }).toEqual(reference);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('encryptWithSnapshot', () => {
  const ivs = { masterIv: Buffer.alloc(12, 1), siteIv: Buffer.alloc(12, 2) };

  it('encrypts a raw UID2 that the same keys decrypt', () => {
    const snapshot = new KeySnapshot(response());
    const phoneUid = Buffer.concat([Buffer.of(0b0000_0100), Buffer.alloc(32, 9)]).toString('base64');
    for (const rawUid of [RAW_UID, phoneUid]) {
      const encrypted = encryptWithSnapshot(snapshot, { rawUid, nowMs: NOW, ...ivs });
      expect(encrypted.status).toBe('SUCCESS');
      const decrypted = decryptWithSnapshot(snapshot, encrypted.token!, NOW + 1000);
      expect(decrypted).toMatchObject({
        status: 'SUCCESS',
        uid: rawUid,
        siteId: 123,
        expiresMs: NOW + 2_592_000_000,
      });
      expect(decrypted.identityType).toBe(rawUid === RAW_UID ? 'email' : 'phone');
    }
  });

  it('explains why it cannot encrypt', () => {
    const at = (overrides: Partial<KeysResponse>, rawUid = RAW_UID) =>
      encryptWithSnapshot(new KeySnapshot(response(overrides)), { rawUid, nowMs: NOW, ...ivs }).status;
    expect(at({ defaultKeysetId: undefined })).toBe('NOT_AUTHORIZED_FOR_KEY');
    expect(at({ masterKeysetId: 12345 })).toBe('NOT_AUTHORIZED_FOR_MASTER_KEY');
    expect(at({ keys: [key(1, 9_999_999, SECONDS - 7200, SECONDS - 1)] })).toBe('KEYS_NOT_SYNCED');
    expect(at({}, 'AAAA')).toBe('INVALID_RAW_UID');
    expect(at({}, `${RAW_UID}!`)).toBe('INVALID_RAW_UID');
  });
});
