import { Buffer } from 'node:buffer';

/** Size of a raw UID v2 (a SHA-256 digest). */
export const RAW_UID_V2_LENGTH = 32;
/** Size of a raw UID v3 / v4. */
export const RAW_UID_V3_V4_LENGTH = 33;
/** The FLH half that v4 encrypts: bytes 16..32. */
export const FLH_TAIL_OFFSET = 16;
/** Bytes appended to the key salt before hashing it into the IV: FLH tail (16), meta (1), key id (3). */
export const V4_IV_SUFFIX_LENGTH = 20;
const IV_LENGTH = 12;

/**
 * Assembles a raw UID v4 once the IV digest and the keystream block are known
 * (spec/internals.md §3.7): `meta ‖ keyId(3) ‖ iv(12) ‖ (flhTail XOR keystream)(16) ‖ xor-checksum`.
 *
 * @param ivDigest - SHA-256 of `salt ‖ flhTail ‖ meta ‖ keyId3`; its first 12 bytes are the IV.
 * @param keystream - AES(key, iv ‖ 00000000), 16 bytes.
 */
export function assembleRawUidV4(
  flh: Uint8Array,
  meta: number,
  keyId: number,
  ivDigest: Uint8Array,
  keystream: Uint8Array,
): Buffer {
  const out = Buffer.allocUnsafe(RAW_UID_V3_V4_LENGTH);
  out[0] = meta;
  out[1] = (keyId >>> 16) & 0xff;
  out[2] = (keyId >>> 8) & 0xff;
  out[3] = keyId & 0xff;
  for (let i = 0; i < IV_LENGTH; i++) out[4 + i] = ivDigest[i] ?? 0;
  for (let i = 0; i < 16; i++) out[16 + i] = (flh[FLH_TAIL_OFFSET + i] ?? 0) ^ (keystream[i] ?? 0);
  let checksum = 0;
  for (let i = 0; i < 32; i++) checksum ^= out[i] ?? 0;
  out[32] = checksum;
  return out;
}

/**
 * Writes `flhTail ‖ meta ‖ keyId3` at `offset` (the IV-hash suffix after the key salt).
 */
export function writeIvSuffix(
  target: Uint8Array,
  offset: number,
  flh: Uint8Array,
  meta: number,
  keyId: number,
): void {
  for (let i = 0; i < 16; i++) target[offset + i] = flh[FLH_TAIL_OFFSET + i] ?? 0;
  target[offset + 16] = meta;
  target[offset + 17] = (keyId >>> 16) & 0xff;
  target[offset + 18] = (keyId >>> 8) & 0xff;
  target[offset + 19] = keyId & 0xff;
}

/** Writes the AES-CTR initial counter block `iv(12) ‖ 00000000` into a 16-byte target. */
export function writeCounterBlock(target: Uint8Array, ivDigest: Uint8Array): void {
  for (let i = 0; i < IV_LENGTH; i++) target[i] = ivDigest[i] ?? 0;
  target[12] = 0;
  target[13] = 0;
  target[14] = 0;
  target[15] = 0;
}
