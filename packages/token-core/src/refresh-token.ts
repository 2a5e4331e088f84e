import { GCM_OVERHEAD_BYTES, gcmEncryptInto } from '@uid2-operator/crypto-envelope';
import type { TokenIdentity } from './encode-advertising-token.js';
import { openCbc, openGcm } from './internal/decrypt.js';
import { identityByte, scopeOf, typeOf } from './internal/identity-byte.js';
import { readInt64, writeInt64 } from './internal/int64.js';
import { readV2Identity } from './internal/v2-identity.js';
import { TOKEN_VERSION_V2, TOKEN_VERSION_V3, decodeStandardToken } from './internal/token-text.js';
import { TokenError, assertNotExpired } from './token-error.js';
import type { DecodeOptions } from './decode-advertising-token.js';
import type { EncryptionKey, IdentityScope, IdentityType, KeyLookup, OperatorIdentity } from './types.js';

/**
 * `REFRESH_CUTOFF`, 2021-03-08T17:00:00Z in epoch ms: refresh tokens established before it are
 * "deprecated" and answered with `{"status":"optout"}` (spec/internals.md §7.3 step 3).
 */
export const REFRESH_TOKEN_CUTOFF_MS = 1_615_222_800_000;

const PAYLOAD_BYTES = 90;
const HEADER_BYTES = 6;
const FIRST_LEVEL_HASH_BYTES = 32;

/** Inputs of {@link encodeRefreshToken}. Times are epoch **milliseconds**. */
export interface RefreshTokenInput {
  readonly identity: TokenIdentity;
  /** Publisher site that generated the identity. */
  readonly siteId: number;
  readonly privacyBits: number;
  /** Original generate time, carried unchanged through every refresh. */
  readonly establishedMs: number;
  readonly createdMs: number;
  readonly expiresMs: number;
  /** The 32-byte first-level hash (not the raw UID). */
  readonly firstLevelHash: Uint8Array;
  /** Active refresh key (keyset -2). */
  readonly refreshKey: Pick<EncryptionKey, 'id' | 'secret'>;
  /** 12 random bytes. */
  readonly iv: Uint8Array;
}

/**
 * Encodes the inner refresh token V3 (spec/api.md §12.2, spec/internals.md §2.1): identity byte ‖
 * 0x70 ‖ refresh key id ‖ GCM(refresh key, 90-byte payload), 124 bytes as 168 standard-base64
 * characters. Clients never see it bare: wrap it with `wrapRefreshToken`.
 *
 * @throws TypeError when the first-level hash is not 32 bytes, the key not 32 bytes or the IV not 12
 */
export function encodeRefreshToken(input: RefreshTokenInput): string {
  if (input.firstLevelHash.length !== FIRST_LEVEL_HASH_BYTES)
    throw new TypeError('firstLevelHash must be 32 bytes');
  const ib = identityByte(input.identity.scope, input.identity.type);
  const payload = Buffer.allocUnsafe(PAYLOAD_BYTES);
  writeInt64(payload, input.expiresMs, 0);
  writeInt64(payload, input.createdMs, 8);
  payload.fill(0, 16, 29); // operator site id, type, version, key id
  payload[20] = 1; // operator type Service
  payload.writeInt32BE(input.siteId, 29);
  payload.fill(0, 33, 45); // publisher id (8), client key id (4)
  payload.writeUInt32BE(input.privacyBits >>> 0, 45);
  writeInt64(payload, input.establishedMs, 49);
  payload[57] = ib;
  payload.set(input.firstLevelHash, 58);

  const token = Buffer.allocUnsafe(HEADER_BYTES + PAYLOAD_BYTES + GCM_OVERHEAD_BYTES);
  token[0] = ib;
  token[1] = TOKEN_VERSION_V3;
  token.writeInt32BE(input.refreshKey.id, 2);
  gcmEncryptInto(input.refreshKey.secret, payload, input.iv, token, HEADER_BYTES);
  return token.toString('base64');
}

/** An inner refresh token's contents. Times are epoch **milliseconds**. */
export interface DecodedRefreshToken {
  readonly version: 2 | 3;
  readonly identityScope: IdentityScope;
  readonly identityType: IdentityType;
  readonly keyId: number;
  /** Expiry (for V2, its "valid till" field: expiry + 60 s). */
  readonly expiresMs: number;
  readonly createdMs: number;
  /** `null` for V2. */
  readonly operator: OperatorIdentity | null;
  readonly siteId: number;
  readonly publisherId: number;
  readonly clientKeyId: number;
  readonly privacyBits: number;
  readonly establishedMs: number;
  readonly firstLevelHash: Buffer;
}

function keyOf(keys: KeyLookup, id: number): EncryptionKey {
  const key = keys.byId(id);
  if (key === undefined) throw new TokenError('ERR_TOKEN_UNKNOWN_KEY', id);
  return key;
}

function decodeV3(bytes: Buffer, keys: KeyLookup): DecodedRefreshToken {
  if (bytes.length < HEADER_BYTES) throw new TokenError('ERR_TOKEN_MALFORMED');
  const keyId = bytes.readInt32BE(2);
  const payload = openGcm(keyOf(keys, keyId).secret, bytes.subarray(HEADER_BYTES));
  if (payload.length < PAYLOAD_BYTES) throw new TokenError('ERR_TOKEN_MALFORMED');
  const inner = payload[57] ?? 0;
  const outer = bytes[0] ?? 0;
  const identityType = typeOf(inner);
  if (identityType === undefined || typeOf(outer) === undefined) throw new TokenError('ERR_TOKEN_MALFORMED');
  if (scopeOf(inner) !== scopeOf(outer) || identityType !== typeOf(outer)) {
    throw new TokenError('ERR_TOKEN_SCOPE_MISMATCH');
  }
  return {
    version: 3,
    identityScope: scopeOf(inner),
    identityType,
    keyId,
    expiresMs: readInt64(payload, 0),
    createdMs: readInt64(payload, 8),
    operator: {
      siteId: payload.readInt32BE(16),
      type: payload.readInt8(20),
      version: payload.readInt32BE(21),
      keyId: payload.readInt32BE(25),
    },
    siteId: payload.readInt32BE(29),
    publisherId: readInt64(payload, 33),
    clientKeyId: payload.readInt32BE(41),
    privacyBits: payload.readInt32BE(45),
    establishedMs: readInt64(payload, 49),
    firstLevelHash: payload.subarray(58, 58 + FIRST_LEVEL_HASH_BYTES),
  };
}

/** V2: 0x02 ‖ created ‖ expires ‖ valid-till ‖ key id ‖ CBC(key, identity) (spec/internals.md §2.2). */
function decodeV2(bytes: Buffer, keys: KeyLookup): DecodedRefreshToken {
  if (bytes.length < 29) throw new TokenError('ERR_TOKEN_MALFORMED');
  const keyId = bytes.readInt32BE(25);
  const identity = readV2Identity(openCbc(keyOf(keys, keyId).secret, bytes.subarray(29)));
  return {
    version: 2,
    identityScope: 'UID2',
    identityType: 'email',
    keyId,
    expiresMs: readInt64(bytes, 17),
    createdMs: readInt64(bytes, 1),
    operator: null,
    siteId: identity.siteId,
    publisherId: 0,
    clientKeyId: 0,
    privacyBits: identity.privacyBits,
    establishedMs: identity.establishedMs,
    firstLevelHash: identity.id,
  };
}

/**
 * Decodes an inner refresh token: V3, or legacy V2 (AES-CBC, decoded as UID2 email) (spec/api.md
 * §6.2 step 3, spec/internals.md §2.1–2.2). The key is looked up by id in the whole store. Scope
 * checks against the operator, the deprecation cut-off and expiry are the caller's, in that order
 * (`options.nowMs` adds the expiry check here).
 *
 * The reference answers "invalid token" for `ERR_TOKEN_VERSION` (also for empty text),
 * `ERR_TOKEN_NOT_BASE64`, `ERR_TOKEN_UNKNOWN_KEY` and `ERR_TOKEN_SCOPE_MISMATCH`, and fails with a
 * 500 on `ERR_TOKEN_MALFORMED` and `ERR_TOKEN_DECRYPT`.
 *
 * @throws TokenError only, for any text
 */
export function decodeRefreshToken(
  token: string,
  keys: KeyLookup,
  options: DecodeOptions = {},
): DecodedRefreshToken {
  if (token.length === 0) throw new TokenError('ERR_TOKEN_VERSION');
  const bytes = decodeStandardToken(token);
  if (bytes.length < 2) throw new TokenError('ERR_TOKEN_MALFORMED');
  let decoded: DecodedRefreshToken;
  if (bytes[1] === TOKEN_VERSION_V3) decoded = decodeV3(bytes, keys);
  else if (bytes[0] === TOKEN_VERSION_V2) decoded = decodeV2(bytes, keys);
  else throw new TokenError('ERR_TOKEN_VERSION');
  if (options.nowMs !== undefined) assertNotExpired(decoded, options.nowMs);
  return decoded;
}
