import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';
import { KeyedAesBlocks, isAesKeyLength } from './internal/aes-block.js';
import { toBase64 } from './internal/base64.js';
import {
  RAW_UID_V3_V4_LENGTH,
  V4_IV_SUFFIX_LENGTH,
  assembleRawUidV4,
  writeCounterBlock,
  writeIvSuffix,
} from './internal/v4-layout.js';
import type { IdentityScope, IdentityType } from './identity.js';
import { rawUidV3PrefixByte } from './identity.js';
import type { KeyMaterial } from './salt-bucket.js';

const FLH_LENGTH = 32;
const ciphers = new KeyedAesBlocks();
const counterBlock = Buffer.alloc(16);

function requireFlh(flh: Uint8Array): void {
  if (flh.length !== FLH_LENGTH) throw new TypeError('a first-level hash is 32 bytes');
}

/**
 * Raw UID v2, 32 bytes (spec/internals.md §3.5): `SHA-256( ASCII(base64(flh)) ‖ ASCII(salt) )`,
 * the salt used as text. UID2 production output when `identity_v3` is false.
 *
 * @param flh - 32-byte first-level hash.
 * @param salt - the bucket's rotating salt text.
 * @returns a fresh 32-byte Buffer.
 * @throws TypeError if `flh` is not 32 bytes.
 */
export function rawUidV2(flh: Uint8Array, salt: string): Buffer {
  requireFlh(flh);
  return hash('sha256', toBase64(flh) + salt, 'buffer');
}

/**
 * Raw UID v3, 33 bytes (spec/internals.md §3.6): `[(scope << 4) | (type << 2)] ‖ rawUidV2`.
 * Output when `identity_v3` is true (EUID production).
 *
 * @param flh - 32-byte first-level hash.
 * @param salt - the bucket's rotating salt text.
 * @param scope - identity scope.
 * @param type - identity type.
 * @returns a fresh 33-byte Buffer.
 * @throws TypeError if `flh` is not 32 bytes.
 */
export function rawUidV3(flh: Uint8Array, salt: string, scope: IdentityScope, type: IdentityType): Buffer {
  const out = Buffer.allocUnsafe(RAW_UID_V3_V4_LENGTH);
  out[0] = rawUidV3PrefixByte(scope, type);
  out.set(rawUidV2(flh, salt), 1);
  return out;
}

/**
 * Raw UID v4, 33 bytes, the "encrypted FLH" of buckets with key material (spec/internals.md §3.7,
 * spec/api.md §5.4):
 * `meta ‖ keyId(3, big-endian low 24 bits) ‖ iv(12) ‖ AES-CTR(key text, iv ‖ 00000000, flh[16..32]) ‖ xor-checksum`
 * with `iv = SHA-256( ASCII(salt) ‖ flh[16..32] ‖ meta ‖ keyId3 )[0..12]`.
 * The key and salt are used as their text bytes (never base64-decoded).
 *
 * @param flh - 32-byte first-level hash.
 * @param keyMaterial - the bucket's key material.
 * @param meta - meta byte from {@link rawUidV4MetaByte}.
 * @returns a fresh 33-byte Buffer.
 * @throws TypeError if `flh` is not 32 bytes or the key text is not 16, 24 or 32 bytes.
 */
export function rawUidV4(flh: Uint8Array, keyMaterial: KeyMaterial, meta: number): Buffer {
  requireFlh(flh);
  const saltBytes = Buffer.from(keyMaterial.salt, 'utf8');
  const ivInput = Buffer.allocUnsafe(saltBytes.length + V4_IV_SUFFIX_LENGTH);
  saltBytes.copy(ivInput, 0);
  writeIvSuffix(ivInput, saltBytes.length, flh, meta, keyMaterial.id);
  const ivDigest = hash('sha256', ivInput, 'buffer');
  writeCounterBlock(counterBlock, ivDigest);
  const key = keyBytesOf(keyMaterial.key);
  const keystream = ciphers.cipherFor(keyMaterial.id, key, 0, key.length).update(counterBlock);
  return assembleRawUidV4(flh, meta, keyMaterial.id, ivDigest, keystream);
}

function keyBytesOf(key: string): Buffer {
  const bytes = Buffer.from(key, 'utf8');
  if (!isAesKeyLength(bytes.length)) throw new TypeError('a v4 key must be 16, 24 or 32 bytes of text');
  return bytes;
}
