import { decodeBase64Strict } from '@uid2-operator/crypto-envelope';
import { TokenError } from '../token-error.js';
import { readInt64 } from './int64.js';

/** The identity block of legacy V2 tokens, decrypted. */
export interface V2Identity {
  readonly siteId: number;
  /** The identifier bytes: raw UID (advertising token) or first-level hash (refresh token). */
  readonly id: Buffer;
  readonly privacyBits: number;
  /** Epoch ms. */
  readonly establishedMs: number;
}

/**
 * Reads `siteId(4) ‖ len(4) ‖ base64 id text(len) ‖ privacyBits(4) ‖ established ms(8)`, the
 * identity block shared by V2 advertising and refresh tokens (spec/internals.md §1.4, §2.2).
 * @throws TokenError `ERR_TOKEN_MALFORMED`
 */
export function readV2Identity(block: Buffer): V2Identity {
  if (block.length < 8) throw new TokenError('ERR_TOKEN_MALFORMED');
  const idLength = block.readInt32BE(4);
  if (idLength < 0 || 8 + idLength + 12 > block.length) throw new TokenError('ERR_TOKEN_MALFORMED');
  const id = decodeBase64Strict(block.subarray(8, 8 + idLength));
  if (id === null) throw new TokenError('ERR_TOKEN_MALFORMED');
  return {
    siteId: block.readInt32BE(0),
    id,
    privacyBits: block.readInt32BE(8 + idLength),
    establishedMs: readInt64(block, 8 + idLength + 4),
  };
}
