import { openCbc, openGcm } from './internal/decrypt.js';
import { scopeOf, typeOf } from './internal/identity-byte.js';
import { readInt64 } from './internal/int64.js';
import { readV2Identity } from './internal/v2-identity.js';
import { decodeAdvertisingTokenText } from './internal/token-text.js';
import { TokenError, assertNotExpired } from './token-error.js';
import type { EncryptionKey, IdentityScope, IdentityType, KeyLookup, OperatorIdentity } from './types.js';

/** An advertising token's contents. Times are epoch **milliseconds**. */
export interface DecodedAdvertisingToken {
  readonly version: 2 | 3 | 4;
  /** From token byte 0 (V2 tokens are UID2). */
  readonly identityScope: IdentityScope;
  /** From token byte 0 (V2 tokens are email). */
  readonly identityType: IdentityType;
  readonly masterKeyId: number;
  /** The publisher key; its keyset tells which site may validate the token. */
  readonly siteKeyId: number;
  readonly expiresMs: number;
  /** Generation time; V2 has none, so this is the established time there. */
  readonly createdMs: number;
  /** `null` for V2, which has no operator fields. */
  readonly operator: OperatorIdentity | null;
  readonly siteId: number;
  readonly publisherId: number;
  readonly clientKeyId: number;
  readonly privacyBits: number;
  readonly establishedMs: number;
  /** `null` for V2. */
  readonly refreshedMs: number | null;
  /** Raw UID bytes (32 or 33). */
  readonly rawUid: Buffer;
}

/** Options of {@link decodeAdvertisingToken}. */
export interface DecodeOptions {
  /** When given (epoch ms), an expired token throws `ERR_TOKEN_EXPIRED` (see `assertNotExpired`). */
  readonly nowMs?: number;
}

function keyOf(keys: KeyLookup, id: number): EncryptionKey {
  const key = keys.byId(id);
  if (key === undefined) throw new TokenError('ERR_TOKEN_UNKNOWN_KEY', id);
  return key;
}

function decodeV3V4(bytes: Buffer, version: 3 | 4, keys: KeyLookup): DecodedAdvertisingToken {
  if (bytes.length < 6) throw new TokenError('ERR_TOKEN_MALFORMED');
  const masterKeyId = bytes.readInt32BE(2);
  const master = openGcm(keyOf(keys, masterKeyId).secret, bytes.subarray(6));
  if (master.length < 33) throw new TokenError('ERR_TOKEN_MALFORMED');
  const siteKeyId = master.readInt32BE(29);
  const site = openGcm(keyOf(keys, siteKeyId).secret, master.subarray(33));
  if (site.length < 36 + 32) throw new TokenError('ERR_TOKEN_MALFORMED');

  const header = bytes[0] ?? 0;
  const identityScope = scopeOf(header);
  const identityType = typeOf(header);
  if (identityType === undefined) throw new TokenError('ERR_TOKEN_MALFORMED');
  const rawUid = site.subarray(36);
  const uidMeta = rawUid[0] ?? 0;
  if (rawUid.length > 32 && (scopeOf(uidMeta) !== identityScope || typeOf(uidMeta) !== identityType)) {
    throw new TokenError('ERR_TOKEN_SCOPE_MISMATCH');
  }
  return {
    version,
    identityScope,
    identityType,
    masterKeyId,
    siteKeyId,
    expiresMs: readInt64(master, 0),
    createdMs: readInt64(master, 8),
    operator: {
      siteId: master.readInt32BE(16),
      type: master.readInt8(20),
      version: master.readInt32BE(21),
      keyId: master.readInt32BE(25),
    },
    siteId: site.readInt32BE(0),
    publisherId: readInt64(site, 4),
    clientKeyId: site.readInt32BE(12),
    privacyBits: site.readInt32BE(16),
    establishedMs: readInt64(site, 20),
    refreshedMs: readInt64(site, 28),
    rawUid,
  };
}

/** V2: 0x02 ‖ master key id ‖ CBC(master, expires ‖ site key id ‖ CBC(site, identity)) (spec/internals.md §1.4). */
function decodeV2(bytes: Buffer, keys: KeyLookup): DecodedAdvertisingToken {
  if (bytes.length < 5) throw new TokenError('ERR_TOKEN_MALFORMED');
  const masterKeyId = bytes.readInt32BE(1);
  const master = openCbc(keyOf(keys, masterKeyId).secret, bytes.subarray(5));
  if (master.length < 12) throw new TokenError('ERR_TOKEN_MALFORMED');
  const siteKeyId = master.readInt32BE(8);
  const identity = readV2Identity(openCbc(keyOf(keys, siteKeyId).secret, master.subarray(12)));
  return {
    version: 2,
    identityScope: 'UID2',
    identityType: 'email',
    masterKeyId,
    siteKeyId,
    expiresMs: readInt64(master, 0),
    createdMs: identity.establishedMs,
    operator: null,
    siteId: identity.siteId,
    publisherId: 0,
    clientKeyId: 0,
    privacyBits: identity.privacyBits,
    establishedMs: identity.establishedMs,
    refreshedMs: null,
    rawUid: identity.id,
  };
}

/**
 * Decodes an advertising token of any version the operator accepts: V4 (base64url), V3 and legacy
 * V2 (standard base64) (spec/internals.md §1.2–1.4, spec/api.md §12.1). Keys are looked up by id
 * only, with no activation or expiry check. Expiry is checked only when `options.nowMs` is given.
 *
 * For a raw UID longer than 32 bytes, its own scope/type bits must match token byte 0.
 *
 * @param token the token text
 * @param keys any key store (`KeyRing` works)
 * @throws TokenError (and nothing else, whatever the text): `ERR_TOKEN_MALFORMED`,
 *   `ERR_TOKEN_NOT_BASE64`, `ERR_TOKEN_VERSION`, `ERR_TOKEN_UNKNOWN_KEY` (detail: key id),
 *   `ERR_TOKEN_DECRYPT`, `ERR_TOKEN_SCOPE_MISMATCH`, `ERR_TOKEN_EXPIRED`
 */
export function decodeAdvertisingToken(
  token: string,
  keys: KeyLookup,
  options: DecodeOptions = {},
): DecodedAdvertisingToken {
  const { version, bytes } = decodeAdvertisingTokenText(token);
  const decoded = version === 2 ? decodeV2(bytes, keys) : decodeV3V4(bytes, version, keys);
  if (options.nowMs !== undefined) assertNotExpired(decoded, options.nowMs);
  return decoded;
}
