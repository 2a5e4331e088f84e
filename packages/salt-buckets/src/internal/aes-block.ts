import { Buffer } from 'node:buffer';
import type { Cipher } from 'node:crypto';
import { createCipheriv } from 'node:crypto';

const MAX_CACHED_KEYS = 4096;

interface Entry {
  readonly key: Buffer;
  readonly cipher: Cipher;
}

function sameBytes(a: Uint8Array, b: Uint8Array, offset: number, length: number): boolean {
  if (a.length !== length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[offset + i]) return false;
  return true;
}

/**
 * Reusable single-block AES encryptors, cached by key id and verified against the key bytes.
 *
 * A raw UID v4 uses exactly one AES-CTR block, and CTR over one block is `AES(key, counterBlock)`
 * XOR plaintext. Keeping an ECB cipher per key (auto padding off, never finalized) avoids creating
 * a cipher context per identity, which costs more than the rest of the v4 computation. Buckets
 * that share a key share the encryptor; a hit is only used when the stored key bytes match, so a
 * reused id never yields a wrong result. The cache is bounded and cleared when full.
 */
export class KeyedAesBlocks {
  private readonly entries = new Map<number, Entry>();

  /**
   * The encryptor for key `id` whose key bytes are `source[offset .. offset + length)`.
   * Call `update(block16)` on it to encrypt one block; never call `final()`.
   */
  cipherFor(id: number, source: Uint8Array, offset: number, length: number): Cipher {
    const entry = this.entries.get(id);
    if (entry !== undefined && sameBytes(entry.key, source, offset, length)) return entry.cipher;
    const key = Buffer.from(source.subarray(offset, offset + length));
    const cipher = createCipheriv(`aes-${length * 8}-ecb`, key, null);
    cipher.setAutoPadding(false);
    if (this.entries.size >= MAX_CACHED_KEYS) this.entries.clear();
    this.entries.set(id, { key, cipher });
    return cipher;
  }
}

/** Whether a key of this many bytes selects an AES variant (AES-128/192/256). */
export function isAesKeyLength(length: number): boolean {
  return length === 16 || length === 24 || length === 32;
}
