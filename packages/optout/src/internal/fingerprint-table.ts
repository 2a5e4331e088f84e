import { FingerprintSegment, SLOT_BYTES } from './fingerprint-segment.js';

/** log2 of the number of segments per table. */
const SEGMENT_BITS = 11;

/** Segments per table (2048). */
export const SEGMENT_COUNT = 1 << SEGMENT_BITS;

/** Segment of the 32-byte key at `key[base..base+32)`: byte 16 and the top 3 bits of byte 17. */
export function segmentOf(key: Uint8Array, base: number): number {
  return (key[base + 16]! << 3) | (key[base + 17]! >>> 5);
}

/** `hi` of the key (bytes 18–21, never 0: 0 marks an empty slot). */
export function hiOf(key: Uint8Array, base: number): number {
  const hi =
    ((key[base + 18]! << 24) | (key[base + 19]! << 16) | (key[base + 20]! << 8) | key[base + 21]!) >>> 0;
  return hi === 0 ? 1 : hi;
}

/** `low` of the key (bytes 22–24). */
export function lowOf(key: Uint8Array, base: number): number {
  return (key[base + 22]! << 16) | (key[base + 23]! << 8) | key[base + 24]!;
}

/** A segment's new slot storage after it grew (shared tables only). */
export interface SegmentReplaced {
  readonly segment: number;
  readonly slots: Uint8Array;
}

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
 *
 * Shared mode (`shared: true`): slot storage lives in `SharedArrayBuffer`s and, once it was handed
 * out ({@link segmentSlots}), every write to segment `j` is bracketed by two increments of
 * `versions[j]` (a sequence lock), so readers in other threads can check the table without locks:
 * a read that overlapped a write sees an odd or changed version and retries. A grown segment gets
 * new storage, reported to `onReplaced`.
 */
export class FingerprintTable {
  private readonly segments: FingerprintSegment[] = [];
  /** Number of distinct fingerprints stored. */
  size = 0;
  /** Shared mode only: the per-segment sequence numbers (odd while a write is in progress). */
  readonly versions: Int32Array | undefined;
  /** Shared mode only: told about every segment whose storage was replaced by a doubling. */
  onReplaced: ((replaced: SegmentReplaced) => void) | undefined;
  /** Shared mode, once {@link segmentSlots} handed the storage out (readers may exist). */
  private handedOut = false;

  constructor(options: { readonly shared?: boolean } = {}) {
    const shared = options.shared === true;
    this.versions = shared ? new Int32Array(new SharedArrayBuffer(4 * SEGMENT_COUNT)) : undefined;
    for (let j = 0; j < SEGMENT_COUNT; j++) {
      const segment = new FingerprintSegment(j / SEGMENT_COUNT);
      if (shared) segment.allocate = (bytes) => new Uint8Array(new SharedArrayBuffer(bytes));
      this.segments.push(segment);
    }
  }

  /** Smallest seconds stored for the 32-byte key at `key[base..base+32)`, or -1. */
  get(key: Uint8Array, base: number): number {
    return this.segments[segmentOf(key, base)]!.get(hiOf(key, base), lowOf(key, base));
  }

  /** Adds the key with `seconds`, or keeps the smaller of the stored and new seconds. True if new. */
  upsertMin(key: Uint8Array, base: number, seconds: number): boolean {
    const j = segmentOf(key, base);
    const segment = this.segments[j]!;
    const before = segment.slots;
    // No reader exists until the storage was handed out: the initial load skips the lock.
    const versions = this.handedOut ? this.versions : undefined;
    if (versions !== undefined) Atomics.add(versions, j, 1);
    let inserted: boolean;
    try {
      inserted = segment.upsertMin(hiOf(key, base), lowOf(key, base), seconds);
    } finally {
      if (versions !== undefined) Atomics.add(versions, j, 1);
    }
    if (inserted) this.size++;
    if (segment.slots !== before) this.onReplaced?.({ segment: j, slots: segment.slots });
    return inserted;
  }

  /**
   * The current slot storage of every segment (shared mode: `SharedArrayBuffer`-backed). From this
   * call on, writes take the sequence lock, since readers may now hold the storage.
   */
  segmentSlots(): Uint8Array[] {
    this.handedOut = this.versions !== undefined;
    return this.segments.map((segment) => segment.slots);
  }

  /**
   * Segment `j` as a snapshot stores it: capacity exponent, entry count and the live slot storage
   * (the caller copies it before anything else can write).
   */
  segmentState(j: number): { readonly step: number; readonly count: number; readonly slots: Uint8Array } {
    const segment = this.segments[j]!;
    return { step: segment.sizeStep, count: segment.count, slots: segment.slots };
  }

  /**
   * Gives segment `j` new, zeroed storage for `count` entries at capacity exponent `step` and
   * returns it for the caller to fill (snapshot load). Only for a new table nobody reads yet
   * (`OptOutIndex.fromSnapshot`); call {@link finishRestore} once every segment is filled.
   * @throws RangeError for an impossible step or count (see `FingerprintSegment.restore`)
   */
  restoreSegment(j: number, step: number, count: number): Uint8Array {
    return this.segments[j]!.restore(step, count);
  }

  /**
   * Checks every segment's count against its used slots and recomputes {@link size}.
   * @throws RangeError when a segment holds another number of entries than it claims
   */
  finishRestore(): void {
    let size = 0;
    for (const segment of this.segments) {
      if (segment.countUsedSlots() !== segment.count) throw new RangeError('segment count');
      size += segment.count;
    }
    this.size = size;
  }

  /** Bytes of slot storage currently allocated (capacity × 11 over all segments). */
  memoryBytes(): number {
    let slots = 0;
    for (const segment of this.segments) slots += segment.capacity;
    return slots * SLOT_BYTES;
  }
}
