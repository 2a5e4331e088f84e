import { decodeBase64Strict, decodeBase64UrlStrict } from '@uid2-operator/crypto-envelope';
import { TokenError } from '../token-error.js';

/** Advertising token versions by their marker byte (spec/internals.md §0). */
export const TOKEN_VERSION_V2 = 2;
export const TOKEN_VERSION_V3 = 0x70;
export const TOKEN_VERSION_V4 = 0x80;

/** A token's bytes and the version its header announced. */
export interface TokenBytes {
  readonly version: 2 | 3 | 4;
  readonly bytes: Buffer;
}

function strict(text: string, urlSafe: boolean): Buffer {
  const bytes = urlSafe ? decodeBase64UrlStrict(text) : decodeBase64Strict(text);
  if (bytes === null) throw new TokenError('ERR_TOKEN_NOT_BASE64');
  return bytes;
}

/**
 * The version detection of the operator and the SDKs (spec/internals.md §1.2): the first 4
 * characters pick the alphabet (`-` or `_` → base64url), byte 0 = 2 means V2, else byte 1 = 0x70
 * means V3 (standard base64) and 0x80 means V4 (base64url, strict like Java's URL decoder).
 *
 * @throws TokenError `ERR_TOKEN_MALFORMED` (< 4 characters or a header shorter than 2 bytes),
 *   `ERR_TOKEN_NOT_BASE64`, `ERR_TOKEN_VERSION`
 */
export function decodeAdvertisingTokenText(token: string): TokenBytes {
  if (token.length < 4) throw new TokenError('ERR_TOKEN_MALFORMED');
  const headerText = token.slice(0, 4);
  const header = strict(headerText, headerText.includes('-') || headerText.includes('_'));
  if (header[0] === TOKEN_VERSION_V2) return { version: 2, bytes: strict(token, false) };
  if (header.length < 2) throw new TokenError('ERR_TOKEN_MALFORMED');
  if (header[1] === TOKEN_VERSION_V3) return { version: 3, bytes: strict(token, false) };
  if (header[1] === TOKEN_VERSION_V4) return { version: 4, bytes: strict(token, true) };
  throw new TokenError('ERR_TOKEN_VERSION');
}

/** Standard-base64 decode with the strict Java rules, as `ERR_TOKEN_NOT_BASE64` on failure. */
export function decodeStandardToken(text: string): Buffer {
  return strict(text, false);
}
