import { createDecipheriv } from 'node:crypto';
import { gcmDecrypt } from '@uid2-operator/crypto-envelope';
import { readInt64 } from './internal/int64.js';
import { TOKEN_VERSION_V2, TOKEN_VERSION_V3, TOKEN_VERSION_V4 } from './internal/token-text.js';
import type { IdentityScope, IdentityType } from './types.js';

/** SDK client kinds: which lifetime limit applies (`LEGACY` skips the lifetime check). */
export type SdkClientType = 'BIDSTREAM' | 'SHARING' | 'LEGACY';

/** The `DecryptionStatus` values of the official SDKs that a token can produce. */
export type SdkDecryptionStatus =
  | 'SUCCESS'
  | 'KEYS_NOT_SYNCED'
  | 'INVALID_PAYLOAD'
  | 'VERSION_NOT_SUPPORTED'
  | 'NOT_AUTHORIZED_FOR_MASTER_KEY'
  | 'NOT_AUTHORIZED_FOR_KEY'
  | 'EXPIRED_TOKEN'
  | 'INVALID_TOKEN_LIFETIME';

/** A key as an SDK holds it after `/v2/key/sharing` or `/v2/key/bidstream` (times in seconds). */
export interface SdkKey {
  readonly id: number;
  readonly secret: Uint8Array;
  readonly expiresSeconds: number;
  /** Absent in sharing/bidstream responses, where the SDK then reports -1. */
  readonly siteId?: number;
}

/** What the SDK knows besides the keys: the key response's limits and the clock. */
export interface SdkDecryptContext {
  /** Current time, epoch ms. */
  readonly nowMs: number;
  readonly clientType: SdkClientType;
  /** `identity_scope` of the key response; the Python SDK reports it instead of reading the token. */
  readonly identityScope: IdentityScope;
  /** `max_bidstream_lifetime_seconds` or `max_sharing_lifetime_seconds`; `null` = unlimited. */
  readonly maxLifetimeSeconds: number | null;
  readonly allowClockSkewSeconds: number;
}

/** The SDK's `DecryptedToken`; fields the SDK leaves unset are `null`. Times are epoch ms. */
export interface SdkDecryptResult {
  readonly status: SdkDecryptionStatus;
  /** Raw UID as standard base64. */
  readonly uid: string | null;
  readonly establishedMs: number | null;
  readonly siteId: number | null;
  readonly siteKeySiteId: number | null;
  readonly identityScope: IdentityScope | null;
  readonly identityType: IdentityType | null;
  readonly advertisingTokenVersion: 2 | 3 | 4 | null;
  readonly isClientSideGenerated: boolean | null;
  readonly expiresMs: number | null;
}

/**
 * Every field of an {@link SdkDecryptResult} but `status`, unset (`null`), as the SDK reports them
 * for a failure found before the token is read (e.g. `KEYS_NOT_SYNCED`).
 */
export const SDK_RESULT_UNSET = {
  uid: null,
  establishedMs: null,
  siteId: null,
  siteKeySiteId: null,
  identityScope: null,
  identityType: null,
  advertisingTokenVersion: null,
  isClientSideGenerated: null,
  expiresMs: null,
} as const;

type Keys = ReadonlyMap<number, SdkKey>;

/**
 * The SDK's token lifetime check for `context`'s client type: a token generated at `generatedMs`
 * that expires at `expiresMs` (epoch ms) lives at most `maxLifetimeSeconds`, and was generated at
 * most `allowClockSkewSeconds` in the future. `LEGACY` clients skip it. Never throws.
 */
export function hasValidSdkLifetime(
  context: SdkDecryptContext,
  generatedMs: number,
  expiresMs: number,
): boolean {
  if (context.clientType === 'LEGACY') return true;
  if ((expiresMs - generatedMs) / 1000 > (context.maxLifetimeSeconds ?? Infinity)) return false;
  if (generatedMs > context.nowMs)
    return (generatedMs - context.nowMs) / 1000 <= context.allowClockSkewSeconds;
  return true;
}

function cbc(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** Python SDK `_decrypt_token_v2`: CBC layers, uid is the base64 text inside, no identity type. */
function decryptV2(bytes: Buffer, keys: Keys, context: SdkDecryptContext): SdkDecryptResult {
  const masterKey = keys.get(bytes.readUInt32BE(1));
  if (masterKey === undefined) return { status: 'NOT_AUTHORIZED_FOR_MASTER_KEY', ...SDK_RESULT_UNSET };
  const master = cbc(masterKey.secret, bytes.subarray(5, 21), bytes.subarray(21));
  const expiresMs = readInt64(master, 0);
  const common = {
    identityScope: context.identityScope,
    identityType: null,
    advertisingTokenVersion: 2,
    isClientSideGenerated: false,
    expiresMs,
  } as const;
  const none = { uid: null, establishedMs: null, siteId: null, siteKeySiteId: null } as const;
  if (expiresMs < context.nowMs) return { status: 'EXPIRED_TOKEN', ...none, ...common };
  const siteKey = keys.get(master.readUInt32BE(8));
  if (siteKey === undefined) return { status: 'NOT_AUTHORIZED_FOR_KEY', ...none, ...common };
  const identity = cbc(siteKey.secret, master.subarray(12, 28), master.subarray(28));
  const idLength = identity.readUInt32BE(4);
  if (8 + idLength + 12 > identity.length) throw new RangeError('identity too short');
  const found = {
    uid: identity.subarray(8, 8 + idLength).toString('utf8'),
    establishedMs: readInt64(identity, 8 + idLength + 4),
    siteId: identity.readUInt32BE(0),
    siteKeySiteId: siteKey.siteId ?? -1,
  };
  const valid = hasValidSdkLifetime(context, context.nowMs, expiresMs);
  return { status: valid ? 'SUCCESS' : 'INVALID_TOKEN_LIFETIME', ...found, ...common };
}

/** Python SDK `_decrypt_token_v3`, shared by V3 and V4. */
function decryptV3(bytes: Buffer, version: 3 | 4, keys: Keys, context: SdkDecryptContext): SdkDecryptResult {
  const identityType: IdentityType = ((bytes[0] ?? 0) & 0x0f) >> 2 === 0 ? 'email' : 'phone';
  const masterKey = keys.get(bytes.readUInt32BE(2));
  if (masterKey === undefined) return { status: 'NOT_AUTHORIZED_FOR_MASTER_KEY', ...SDK_RESULT_UNSET };
  const master = gcmDecrypt(masterKey.secret, bytes.subarray(6));
  const expiresMs = readInt64(master, 0);
  const common = {
    identityScope: context.identityScope,
    identityType,
    advertisingTokenVersion: version,
    expiresMs,
  };
  const none = {
    uid: null,
    establishedMs: null,
    siteId: null,
    siteKeySiteId: null,
    isClientSideGenerated: null,
  };
  if (expiresMs < context.nowMs) return { status: 'EXPIRED_TOKEN', ...none, ...common };
  const generatedMs = readInt64(master, 8);
  const siteKey = keys.get(master.readUInt32BE(29));
  if (siteKey === undefined) return { status: 'NOT_AUTHORIZED_FOR_KEY', ...none, ...common };
  const site = gcmDecrypt(siteKey.secret, master.subarray(33));
  const found = {
    establishedMs: readInt64(site, 20),
    siteId: site.readUInt32BE(0),
    siteKeySiteId: siteKey.siteId ?? -1,
    // Python SDK 2.9.0 loads the int into a big-endian bitarray and tests index 1: bit 30.
    isClientSideGenerated: (site.readUInt32BE(16) & 0x4000_0000) !== 0,
  };
  if (!hasValidSdkLifetime(context, generatedMs, expiresMs)) {
    return { status: 'INVALID_TOKEN_LIFETIME', uid: null, ...found, ...common };
  }
  return { status: 'SUCCESS', uid: site.subarray(36).toString('base64'), ...found, ...common };
}

/**
 * What the official Python SDK (2.9.0, `decrypt_token`) returns for an advertising token
 * (spec/internals.md §1.6): status rules, which fields are set per status, the lifetime check per
 * client type, the scope taken from the key response, and its privacy-bit quirk. Use it to prove
 * tokens are accepted by real decoders. Keys are looked up by id (unsigned, as the SDK reads them).
 *
 * Any exception the SDK would raise (bad base64, truncation, failed authentication) is reported
 * as `INVALID_PAYLOAD`; this function never throws for any token text.
 */
export function decryptTokenForSdk(
  token: string,
  keys: readonly SdkKey[],
  context: SdkDecryptContext,
): SdkDecryptResult {
  const latestExpiresSeconds = keys.reduce((latest, key) => Math.max(latest, key.expiresSeconds), -Infinity);
  if (!(latestExpiresSeconds * 1000 > context.nowMs))
    return { status: 'KEYS_NOT_SYNCED', ...SDK_RESULT_UNSET };
  if (token.length < 4) return { status: 'INVALID_PAYLOAD', ...SDK_RESULT_UNSET };
  const byId = new Map(keys.map((key) => [key.id, key]));
  try {
    // Like Python's non-validating b64decode: characters outside both alphabets are dropped.
    const header = Buffer.from(token.slice(0, 4), 'base64');
    if (header[0] === TOKEN_VERSION_V2) return decryptV2(Buffer.from(token, 'base64'), byId, context);
    if (header.length < 2) return { status: 'INVALID_PAYLOAD', ...SDK_RESULT_UNSET };
    if (header[1] === TOKEN_VERSION_V3) return decryptV3(Buffer.from(token, 'base64'), 3, byId, context);
    if (header[1] === TOKEN_VERSION_V4) return decryptV3(Buffer.from(token, 'base64url'), 4, byId, context);
    return { status: 'VERSION_NOT_SUPPORTED', ...SDK_RESULT_UNSET };
  } catch {
    return { status: 'INVALID_PAYLOAD', ...SDK_RESULT_UNSET };
  }
}
