import { gcmEncrypt } from '@uid2-operator/crypto-envelope';
import { type AdvertisingTokenInput, encodeAdvertisingTokenV4 } from '../encode-advertising-token.js';
import { createKeyRing } from '../key-ring.js';
import { type RefreshTokenInput, encodeRefreshToken } from '../refresh-token.js';
import type { EncryptionKey } from '../types.js';
import { key, keyset } from './keys.js';

export const NOW = 1_767_225_600_123;
export const masterKey = key(101, -1);
export const refreshKey = key(102, -2);
export const siteKey = key(104, 501);
export const ring = createKeyRing(
  [masterKey, refreshKey, siteKey],
  [keyset(-1, -1), keyset(-2, -2), keyset(501, 123)],
);

/** A valid V4 token input (32-byte raw UID, UID2 email); override any field. */
export function adInput(overrides: Partial<AdvertisingTokenInput> = {}): AdvertisingTokenInput {
  return {
    identity: { scope: 'UID2', type: 'email' },
    siteId: 123,
    privacyBits: 1,
    establishedMs: NOW - 1000,
    refreshedMs: NOW,
    createdMs: NOW,
    expiresMs: NOW + 3_600_000,
    rawUid: Buffer.alloc(32, 0xab),
    masterKey,
    siteKey,
    masterIv: Buffer.alloc(12, 1),
    siteIv: Buffer.alloc(12, 2),
    ...overrides,
  };
}

export const validV4 = (overrides: Partial<AdvertisingTokenInput> = {}): string =>
  encodeAdvertisingTokenV4(adInput(overrides));

/** A valid inner refresh token input; override any field. */
export function refreshInput(overrides: Partial<RefreshTokenInput> = {}): RefreshTokenInput {
  return {
    identity: { scope: 'UID2', type: 'email' },
    siteId: 123,
    privacyBits: 1,
    establishedMs: NOW - 1000,
    createdMs: NOW,
    expiresMs: NOW + 86_400_000,
    firstLevelHash: Buffer.alloc(32, 0xcd),
    refreshKey,
    iv: Buffer.alloc(12, 3),
    ...overrides,
  };
}

export const validRefresh = (overrides: Partial<RefreshTokenInput> = {}): string =>
  encodeRefreshToken(refreshInput(overrides));

/**
 * A V3/V4-shaped token around arbitrary plaintexts: `header ‖ master key id ‖ GCM(master, masterPayload)`,
 * for reaching decoder branches that valid encoders never produce.
 */
export function craftToken(
  header: [number, number],
  masterPayload: Uint8Array,
  key: EncryptionKey = masterKey,
): Buffer {
  const head = Buffer.alloc(6);
  head[0] = header[0];
  head[1] = header[1];
  head.writeInt32BE(key.id, 2);
  return Buffer.concat([head, gcmEncrypt(key.secret, masterPayload, Buffer.alloc(12, 7))]);
}

/** A master payload whose site layer holds `sitePayload`. */
export function craftMasterPayload(sitePayload: Uint8Array, key: EncryptionKey = siteKey): Buffer {
  const head = Buffer.alloc(33);
  head.writeInt32BE(key.id, 29);
  return Buffer.concat([head, gcmEncrypt(key.secret, sitePayload, Buffer.alloc(12, 8))]);
}
