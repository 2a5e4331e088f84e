import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

/**
 * Bare `node:crypto` primitives for the floors (PERFORMANCE.md §3–4): no validation beyond what
 * the platform does, no abstraction. They measure what Node itself costs, not the project's code.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Random bytes sliced from a refilled `randomFillSync` buffer (never reused): 12-byte GCM IVs. */
export class LeanRandomPool {
  private readonly pool = Buffer.allocUnsafe(64 * 1024);
  private offset = this.pool.length;

  /** `n` fresh random bytes (a view into the pool; consume before the next call refills it). */
  take(n: number): Buffer {
    if (this.offset + n > this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const out = this.pool.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}

/** AES-256-GCM decrypt of `iv(12) ‖ ciphertext ‖ tag(16)`; throws on a bad tag. */
export function leanGcmOpen(key: Uint8Array, blob: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, IV_BYTES));
  decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
  const head = decipher.update(blob.subarray(IV_BYTES, blob.length - TAG_BYTES));
  const tail = decipher.final();
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}

/** AES-256-GCM encrypt into `prefix ‖ iv ‖ ciphertext ‖ tag` (one output allocation). */
export function leanGcmSeal(key: Uint8Array, iv: Buffer, plaintext: Buffer, prefix = 0): Buffer {
  const out = Buffer.allocUnsafe(prefix + IV_BYTES + plaintext.length + TAG_BYTES);
  iv.copy(out, prefix);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = cipher.update(plaintext);
  body.copy(out, prefix + IV_BYTES);
  cipher.final();
  cipher.getAuthTag().copy(out, prefix + IV_BYTES + body.length);
  return out;
}

/**
 * Opens a v2 request envelope the lean way: base64 → `0x01 ‖ GCM(ts ‖ nonce ‖ json)` → the
 * plaintext (timestamp and nonce are its first 16 bytes).
 */
export function leanOpenEnvelope(key: Uint8Array, base64: string): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes[0] !== 1) throw new Error('not a v1 envelope');
  return leanGcmOpen(key, bytes.subarray(1));
}

/** Seals a v2 response envelope: `GCM(now ‖ nonce ‖ json)` as base64. */
export function leanSealResponse(
  key: Uint8Array,
  iv: Buffer,
  nonce: Buffer,
  json: string,
  nowMs: number,
): string {
  const length = Buffer.byteLength(json);
  const plaintext = Buffer.allocUnsafe(16 + length);
  plaintext.writeBigInt64BE(BigInt(nowMs), 0);
  nonce.copy(plaintext, 8, 0, 8);
  plaintext.write(json, 16);
  return leanGcmSeal(key, iv, plaintext).toString('base64');
}
