import {
  GCM_OVERHEAD_BYTES,
  decodeBase64Strict,
  gcmEncryptInto,
  parseJsonObject,
} from '@uid2-operator/crypto-envelope';
import { openGcm } from './internal/decrypt.js';
import { scopeByte } from './internal/identity-byte.js';
import { TokenError } from './token-error.js';
import type { EncryptionKey, IdentityScope, KeyLookup } from './types.js';

/** Length of every client-facing refresh token (`V2_REFRESH_PAYLOAD_LENGTH`). */
export const REFRESH_TOKEN_WRAPPER_LENGTH = 388;

const HEADER_BYTES = 5;
const RESPONSE_KEY_BYTES = 32;

/** Inputs of {@link wrapRefreshToken}. */
export interface WrapRefreshTokenInput {
  /** The operator's scope (byte 0 = scope << 4). */
  readonly scope: IdentityScope;
  /** The 168-character inner refresh token. */
  readonly innerToken: string;
  /** A fresh random 32-byte AES key, also returned to the client as `refresh_response_key`. */
  readonly refreshResponseKey: Uint8Array;
  /** Active refresh key (keyset -2). */
  readonly refreshKey: Pick<EncryptionKey, 'id' | 'secret'>;
  /** 12 random bytes. */
  readonly iv: Uint8Array;
}

/**
 * Builds the refresh token clients see (spec/api.md §12.3, spec/internals.md §2.3): `scope << 4 ‖
 * refresh key id ‖ GCM(refresh key, {"refresh_response_key":"…","refresh_token":"…"})`, 291 bytes as
 * exactly 388 standard-base64 characters.
 *
 * @throws TypeError when the result would not be 388 characters (an inner token that is not the
 *   168-character V3 token), the response key is not 32 bytes, or key/IV lengths are wrong
 */
export function wrapRefreshToken(input: WrapRefreshTokenInput): string {
  if (input.refreshResponseKey.length !== RESPONSE_KEY_BYTES)
    throw new TypeError('refreshResponseKey must be 32 bytes');
  const responseKey = Buffer.from(input.refreshResponseKey).toString('base64');
  const json = Buffer.from(
    `{"refresh_response_key":"${responseKey}","refresh_token":${JSON.stringify(input.innerToken)}}`,
    'utf8',
  );
  const out = Buffer.allocUnsafe(HEADER_BYTES + json.length + GCM_OVERHEAD_BYTES);
  out[0] = scopeByte(input.scope);
  out.writeInt32BE(input.refreshKey.id, 1);
  gcmEncryptInto(input.refreshKey.secret, json, input.iv, out, HEADER_BYTES);
  const text = out.toString('base64');
  if (text.length !== REFRESH_TOKEN_WRAPPER_LENGTH) {
    throw new TypeError(`refresh token wrapper must be ${REFRESH_TOKEN_WRAPPER_LENGTH} characters`);
  }
  return text;
}

/** The contents of a refresh token wrapper. */
export interface UnwrappedRefreshToken {
  /** The inner refresh token text (for `decodeRefreshToken`). */
  readonly innerToken: string;
  /** The 32-byte key that encrypts this refresh's response (`sealRefreshResponse`). */
  readonly refreshResponseKey: Buffer;
  /** Id of the key that encrypted the wrapper. */
  readonly keyId: number;
}

/**
 * Opens a 388-character refresh token (spec/api.md §6.2 step 1): strict base64, key id at bytes
 * 1–4 looked up in the whole store, GCM from byte 5, then the JSON. Byte 0 (scope) is ignored, as in
 * the reference. {@link refreshWrapperErrorMessage} gives the exact 400 message of each error.
 *
 * @throws TokenError `ERR_TOKEN_NOT_BASE64`, `ERR_TOKEN_MALFORMED` (< 5 bytes),
 *   `ERR_TOKEN_UNKNOWN_KEY` (detail: key id), `ERR_TOKEN_DECRYPT`, `ERR_TOKEN_WRAPPER_JSON` (not a
 *   JSON object, or `refresh_response_key` / `refresh_token` missing, not strings, or a key that is
 *   not base64 of 32 bytes)
 */
export function unwrapRefreshToken(text: string, keys: KeyLookup): UnwrappedRefreshToken {
  const bytes = decodeBase64Strict(text);
  if (bytes === null) throw new TokenError('ERR_TOKEN_NOT_BASE64');
  if (bytes.length < HEADER_BYTES) throw new TokenError('ERR_TOKEN_MALFORMED');
  const keyId = bytes.readInt32BE(1);
  const key = keys.byId(keyId);
  if (key === undefined) throw new TokenError('ERR_TOKEN_UNKNOWN_KEY', keyId);
  const json = parseJsonObject(openGcm(key.secret, bytes.subarray(HEADER_BYTES)));
  const responseKey =
    typeof json?.refresh_response_key === 'string' ? decodeBase64Strict(json.refresh_response_key) : null;
  const innerToken = json?.refresh_token;
  if (responseKey?.length !== RESPONSE_KEY_BYTES || typeof innerToken !== 'string') {
    throw new TokenError('ERR_TOKEN_WRAPPER_JSON');
  }
  return { innerToken, refreshResponseKey: responseKey, keyId };
}
