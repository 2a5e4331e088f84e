import { FingerprintSegment, SLOT_BYTES } from './fingerprint-segment.js';

/** log2 of the number of segments per table. */
const SEGMENT_BITS = 11;

/** Segments per table (2048). */
export const SEGMENT_COUNT = 1 << SEGMENT_BITS;

/**
 * A set of 32-byte keys (first-level hashes, or the last 32 bytes of raw UIDs) mapped to the
 * smallest uint32 seconds seen, stored as 56-bit fingerprints. Internal; {@link OptOutIndex}
 * documents the guarantees.
 *
 * Key bits used (offsets into the 32-byte key): byte 16 and the top 3 bits of byte 17 pick one of
 * 2048 segments; bytes 18–21 are `hi` (also the probe position) and bytes 22–24 are `low`. These
 * offsets are random for every raw UID version, including the v4 layout whose first bytes of the
 * last 32 are a key id and an IV (spec/internals.md §3.7: bytes 16–31 of a 33-byte v4 UID are
 * ciphertext).
 *
 * Segment `j` has capacity `round(2^(k + j/2048))` and doubles on its own when its load passes 0.9,
 * so at any size the segments' loads are spread evenly (in log scale) over (0.45, 0.9] and the
 * table averages `1 / (0.9 · ln 2) ≈ 1.60` slots per key, i.e. 17.6 bytes per key — there is no
 * size at which the whole table has just doubled, and one doubling re-hashes 1/2048 of it.
 */
export class FingerprintTable {
  private readonly segments: FingerprintSegment[] = [];
  /** Number of distinct fingerprints stored. */
  size = 0;

  constructor() {
    for (let j = 0; j < SEGMENT_COUNT; j++) this.segments.push(new FingerprintSegment(j / SEGMENT_COUNT));
  }

  /** Smallest seconds stored for the 32-byte key at `key[base..base+32)`, or -1. */
  get(key: Uint8Array, base: number): number {
    const segment = this.segments[(key[base + 16]! << 3) | (key[base + 17]! >>> 5)]!;
    const hi =
      ((key[base + 18]! << 24) | (key[base + 19]! << 16) | (key[base + 20]! << 8) | key[base + 21]!) >>> 0;
    return segment.get(hi === 0 ? 1 : hi, (key[base + 22]! << 16) | (key[base + 23]! << 8) | key[base + 24]!);
  }

  /** Adds the key with `seconds`, or keeps the smaller of the stored and new seconds. True if new. */
  upsertMin(key: Uint8Array, base: number, seconds: number): boolean {
    const segment = this.segments[(key[base + 16]! << 3) | (key[base + 17]! >>> 5)]!;
    const hi =
      ((key[base + 18]! << 24) | (key[base + 19]! << 16) | (key[base + 20]! << 8) | key[base + 21]!) >>> 0;
    const low = (key[base + 22]! << 16) | (key[base + 23]! << 8) | key[base + 24]!;
    const inserted = segment.upsertMin(hi === 0 ? 1 : hi, low, seconds);
    if (inserted) this.size++;
    return inserted;
  }

  /** Bytes of slot storage currently allocated (capacity × 11 over all segments). */
  memoryBytes(): number {
    let slots = 0;
    for (const segment of this.segments) slots += segment.capacity;
    return slots * SLOT_BYTES;
  }
}
