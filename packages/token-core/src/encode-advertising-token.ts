import { GCM_OVERHEAD_BYTES, gcmEncryptInto } from '@uid2-operator/crypto-envelope';
import { identityByte } from './internal/identity-byte.js';
import { writeInt64 } from './internal/int64.js';
import { TOKEN_VERSION_V3, TOKEN_VERSION_V4 } from './internal/token-text.js';
import type { EncryptionKey, IdentityScope, IdentityType } from './types.js';

/** The scope and type an identity byte encodes. */
export interface TokenIdentity {
  readonly scope: IdentityScope;
  readonly type: IdentityType;
}

/** Inputs of {@link encodeAdvertisingTokenV4}. Times are epoch **milliseconds**. */
export interface AdvertisingTokenInput {
  readonly identity: TokenIdentity;
  /** Publisher site written into the site payload (the caller's site, even with the fallback key). */
  readonly siteId: number;
  /** Privacy bits int (1 for generate, 3 for CSTG; see `PRIVACY_BITS`). */
  readonly privacyBits: number;
  readonly establishedMs: number;
  readonly refreshedMs: number;
  /** Token generation time ("created"); SDK lifetime checks use it. */
  readonly createdMs: number;
  readonly expiresMs: number;
  /** Raw UID bytes: 32 (v2) or 33 (v3/v4). */
  readonly rawUid: Uint8Array;
  /** Active master key (keyset -1). */
  readonly masterKey: Pick<EncryptionKey, 'id' | 'secret'>;
  /** Publisher key (`KeyRing.siteKey`). */
  readonly siteKey: Pick<EncryptionKey, 'id' | 'secret'>;
  /** 12 random bytes for the outer GCM layer. */
  readonly masterIv: Uint8Array;
  /** 12 random bytes for the inner GCM layer. */
  readonly siteIv: Uint8Array;
}

const SITE_HEADER_BYTES = 36;
const MASTER_HEADER_BYTES = 33;
const TOKEN_HEADER_BYTES = 6;
const OPERATOR_TYPE_SERVICE = 1;

/**
 * Builds V3/V4 token bytes (identical but for the version byte), one buffer per layer: the site
 * payload, the master payload with the site layer encrypted into it, the token with the master
 * layer encrypted into it (spec/internals.md §1.3). Operator identity: site 0, type 1, version 0,
 * key 0; publisher id 0 and client key id 0, as the operator writes them.
 */
export function encodeAdvertisingTokenBytes(input: AdvertisingTokenInput, version: 3 | 4): Buffer {
  const site = Buffer.allocUnsafe(SITE_HEADER_BYTES + input.rawUid.length);
  site.writeInt32BE(input.siteId, 0);
  site.fill(0, 4, 16); // publisher id (8) and client key id (4)
  site.writeUInt32BE(input.privacyBits >>> 0, 16);
  writeInt64(site, input.establishedMs, 20);
  writeInt64(site, input.refreshedMs, 28);
  site.set(input.rawUid, SITE_HEADER_BYTES);

  const master = Buffer.allocUnsafe(MASTER_HEADER_BYTES + site.length + GCM_OVERHEAD_BYTES);
  writeInt64(master, input.expiresMs, 0);
  writeInt64(master, input.createdMs, 8);
  master.fill(0, 16, 29); // operator site id, type, version, key id
  master[20] = OPERATOR_TYPE_SERVICE;
  master.writeInt32BE(input.siteKey.id, 29);
  gcmEncryptInto(input.siteKey.secret, site, input.siteIv, master, MASTER_HEADER_BYTES);

  const token = Buffer.allocUnsafe(TOKEN_HEADER_BYTES + master.length + GCM_OVERHEAD_BYTES);
  token[0] = identityByte(input.identity.scope, input.identity.type);
  token[1] = version === 4 ? TOKEN_VERSION_V4 : TOKEN_VERSION_V3;
  token.writeInt32BE(input.masterKey.id, 2);
  gcmEncryptInto(input.masterKey.secret, master, input.masterIv, token, TOKEN_HEADER_BYTES);
  return token;
}

/**
 * Encodes a V4 advertising token, the only version the operator issues (spec/api.md §12.1,
 * spec/internals.md §1.3): `identity byte ‖ 0x80 ‖ master key id ‖ GCM(master key, master payload)`
 * with the site payload GCM-encrypted by the site key inside, as base64url without padding
 * (218 characters for a 32-byte raw UID, 219 for 33).
 *
 * @throws TypeError when a key is not 32 bytes or an IV not 12 bytes; RangeError when an id or
 *   site id does not fit a signed 32-bit int
 */
export function encodeAdvertisingTokenV4(input: AdvertisingTokenInput): string {
  return encodeAdvertisingTokenBytes(input, 4).toString('base64url');
}
