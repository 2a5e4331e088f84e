import {
  type DecodedAdvertisingToken,
  type SdkDecryptContext,
  type SdkDecryptResult,
  type SdkDecryptionStatus,
  SDK_RESULT_UNSET,
  decodeAdvertisingToken,
  decryptTokenForSdk,
  encodeAdvertisingTokenV4,
  hasValidSdkLifetime,
  isClientSideGenerated,
} from '@uid2-operator/token-core';
import type { KeySnapshot } from './key-snapshot.js';
import type { IdentityType } from './types.js';

/** Outcome of a local decryption: the SDK statuses plus the two a key store adds. */
export type DecryptionStatus = SdkDecryptionStatus | 'NOT_INITIALIZED' | 'DOMAIN_OR_APP_NAME_CHECK_FAILED';

/**
 * A locally decrypted advertising token, as the official SDKs report it (spec/internals.md §1.6).
 * `uid` (the raw UID2, base64) is set only on `SUCCESS`. Times are epoch **milliseconds**.
 * `isClientSideGenerated` reads privacy bit 1 as the Java SDK does.
 */
export interface DecryptionResult extends Omit<SdkDecryptResult, 'status'> {
  readonly status: DecryptionStatus;
}

/** Outcome of {@link encryptWithSnapshot}. */
export type EncryptionStatus =
  | 'SUCCESS'
  | 'NOT_INITIALIZED'
  | 'KEYS_NOT_SYNCED'
  | 'NOT_AUTHORIZED_FOR_MASTER_KEY'
  | 'NOT_AUTHORIZED_FOR_KEY'
  | 'INVALID_RAW_UID';

/** A token encrypted for sharing, or why not. */
export interface EncryptionResult {
  readonly status: EncryptionStatus;
  /** The V4 advertising token (base64url), on `SUCCESS`. */
  readonly token: string | null;
}

/** The result of a store that has no keys yet. */
export const NOT_INITIALIZED: DecryptionResult = { status: 'NOT_INITIALIZED', ...SDK_RESULT_UNSET };

function contextOf(snapshot: KeySnapshot, nowMs: number): SdkDecryptContext {
  const { response } = snapshot;
  const bidstream = response.source === 'bidstream';
  return {
    nowMs,
    clientType: bidstream ? 'BIDSTREAM' : 'SHARING',
    identityScope: response.identityScope,
    maxLifetimeSeconds:
      (bidstream ? response.maxBidstreamLifetimeSeconds : response.maxSharingLifetimeSeconds) ?? null,
    allowClockSkewSeconds: response.allowClockSkewSeconds,
  };
}

/**
 * The common case — a V3/V4 token that decodes with known keys and passes expiry and lifetime —
 * decoded with the snapshot's prebuilt index. Anything else returns `undefined` and goes to
 * token-core's `decryptTokenForSdk`, which classifies every failure exactly as the SDKs do.
 */
function fastPath(
  snapshot: KeySnapshot,
  token: string,
  context: SdkDecryptContext,
): DecryptionResult | undefined {
  if (!(snapshot.latestExpiresSeconds * 1000 > context.nowMs)) return undefined;
  let decoded: DecodedAdvertisingToken;
  try {
    decoded = decodeAdvertisingToken(token, snapshot);
  } catch {
    return undefined;
  }
  if (decoded.version === 2 || decoded.expiresMs < context.nowMs) return undefined;
  if (!hasValidSdkLifetime(context, decoded.createdMs, decoded.expiresMs)) return undefined;
  return {
    status: 'SUCCESS',
    uid: decoded.rawUid.toString('base64'),
    establishedMs: decoded.establishedMs,
    siteId: decoded.siteId,
    siteKeySiteId: snapshot.byId(decoded.siteKeyId)?.siteId ?? -1,
    identityScope: context.identityScope,
    identityType: decoded.identityType,
    advertisingTokenVersion: decoded.version,
    isClientSideGenerated: isClientSideGenerated(decoded.privacyBits),
    expiresMs: decoded.expiresMs,
  };
}

/**
 * Decrypts an advertising token with the keys of a snapshot (spec/internals.md §1.6): the SDK
 * statuses and lifetime rules of the key response's client type (bidstream or sharing), then, for
 * bidstream keys, the Java SDK's domain check on client-side generated tokens: `domainOrAppName`
 * must be listed in the token site's `site_data` (case-insensitive), else
 * `DOMAIN_OR_APP_NAME_CHECK_FAILED`. Never throws.
 *
 * @param nowMs current time, epoch milliseconds
 */
export function decryptWithSnapshot(
  snapshot: KeySnapshot,
  token: string,
  nowMs: number,
  domainOrAppName?: string,
): DecryptionResult {
  const context = contextOf(snapshot, nowMs);
  const result = fastPath(snapshot, token, context) ?? decryptTokenForSdk(token, snapshot.sdkKeys, context);
  if (
    result.status === 'SUCCESS' &&
    context.clientType === 'BIDSTREAM' &&
    result.isClientSideGenerated === true &&
    (domainOrAppName === undefined || !snapshot.allowsDomainOrAppName(result.siteId ?? -1, domainOrAppName))
  ) {
    return { ...result, status: 'DOMAIN_OR_APP_NAME_CHECK_FAILED', uid: null };
  }
  return result;
}

/** Inputs of {@link encryptWithSnapshot}. */
export interface EncryptRawUidInput {
  /** Raw UID2, base64 of 32 (v2) or 33 (v3/v4) bytes. */
  readonly rawUid: string;
  /** Epoch milliseconds. */
  readonly nowMs: number;
  /** 12 random bytes each. */
  readonly masterIv: Uint8Array;
  readonly siteIv: Uint8Array;
}

/**
 * Encrypts a raw UID2 into a V4 token for sharing, as the SDKs' `encrypt_raw_uid_into_token` does
 * (spec/internals.md §1.3, §4.5): master key = active key of `master_keyset_id`, site key = active
 * key of the caller's `default_keyset_id`, site id = `caller_site_id`, privacy bits 0, established =
 * refreshed = created = now, expiry = now + `token_expiry_seconds`. Identity type: from the meta
 * byte of a 33-byte raw UID, email for a 32-byte one; scope from the key response. Never throws.
 */
export function encryptWithSnapshot(snapshot: KeySnapshot, input: EncryptRawUidInput): EncryptionResult {
  const { response } = snapshot;
  if (!(snapshot.latestExpiresSeconds * 1000 > input.nowMs))
    return { status: 'KEYS_NOT_SYNCED', token: null };
  const masterKey =
    response.masterKeysetId === undefined
      ? undefined
      : snapshot.activeKey(response.masterKeysetId, input.nowMs);
  if (masterKey === undefined) return { status: 'NOT_AUTHORIZED_FOR_MASTER_KEY', token: null };
  const siteKey =
    response.defaultKeysetId === undefined
      ? undefined
      : snapshot.activeKey(response.defaultKeysetId, input.nowMs);
  if (siteKey === undefined || response.callerSiteId === undefined)
    return { status: 'NOT_AUTHORIZED_FOR_KEY', token: null };
  const rawUid = Buffer.from(input.rawUid, 'base64');
  if ((rawUid.length !== 32 && rawUid.length !== 33) || rawUid.toString('base64') !== input.rawUid) {
    return { status: 'INVALID_RAW_UID', token: null };
  }
  const type: IdentityType = rawUid.length === 33 && (((rawUid[0] ?? 0) >> 2) & 1) === 1 ? 'phone' : 'email';
  const token = encodeAdvertisingTokenV4({
    identity: { scope: response.identityScope, type },
    siteId: response.callerSiteId,
    privacyBits: 0,
    establishedMs: input.nowMs,
    refreshedMs: input.nowMs,
    createdMs: input.nowMs,
    expiresMs: input.nowMs + (response.tokenExpirySeconds ?? 2_592_000) * 1000,
    rawUid,
    masterKey,
    siteKey,
    masterIv: input.masterIv,
    siteIv: input.siteIv,
  });
  return { status: 'SUCCESS', token };
}
