import { Buffer } from 'node:buffer';

/** Length of the standard base64 text of 32 bytes (one `=` of padding). */
export const BASE64_OF_32_LENGTH = 44;

const ALPHABET = new Uint8Array(
  Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1'),
);
const EQUALS = 0x3d;

function sextet(value: number): number {
  return ALPHABET[value & 63] ?? 0;
}

/**
 * Writes the standard base64 text (ASCII bytes, with padding) of exactly 32 bytes into
 * `target[0..44)`. Avoids creating a JS string and re-encoding it when the text is only hashed.
 */
export function writeBase64Of32(source: Uint8Array, target: Uint8Array): void {
  let out = 0;
  for (let i = 0; i < 30; i += 3) {
    const n = ((source[i] ?? 0) << 16) | ((source[i + 1] ?? 0) << 8) | (source[i + 2] ?? 0);
    target[out] = sextet(n >>> 18);
    target[out + 1] = sextet(n >>> 12);
    target[out + 2] = sextet(n >>> 6);
    target[out + 3] = sextet(n);
    out += 4;
  }
  const n = ((source[30] ?? 0) << 16) | ((source[31] ?? 0) << 8);
  target[40] = sextet(n >>> 18);
  target[41] = sextet(n >>> 12);
  target[42] = sextet(n >>> 6);
  target[43] = EQUALS;
}

/** Standard base64 (with padding) of any bytes, without copying them. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
