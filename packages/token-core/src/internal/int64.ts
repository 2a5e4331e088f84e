const TWO_32 = 2 ** 32;

/**
 * Writes a signed 64-bit big-endian integer from a safe-integer number (epoch ms), without BigInt.
 */
export function writeInt64(target: Buffer, value: number, offset: number): void {
  const high = Math.floor(value / TWO_32);
  target.writeInt32BE(high, offset);
  target.writeUInt32BE(value - high * TWO_32, offset + 4);
}

/** Reads a signed 64-bit big-endian integer (exact within the safe-integer range). */
export function readInt64(source: Buffer, offset: number): number {
  return source.readInt32BE(offset) * TWO_32 + source.readUInt32BE(offset + 4);
}
