/** Bytes per slot: 7 fingerprint bytes and uint32 seconds. */
export const SLOT_BYTES = 11;

/** Load factor that triggers doubling. Robin Hood probing keeps lookups short up to here. */
export const MAX_LOAD = 0.9;

/** Capacity exponent of a segment's first allocation: capacity = round(2^(FIRST_STEP + stagger)). */
const FIRST_STEP = 4;

/** Largest capacity exponent a restored segment may claim (2^32 slots, far beyond any real table). */
const MAX_STEP = 32;

const TWO_POW_32 = 2 ** 32;
const NO_SLOTS = new Uint8Array(0);

/**
 * One Robin Hood hash table of fixed-size fingerprint slots. Internal to `@uid2-operator/optout`;
 * {@link FingerprintTable} explains the layout and the memory arithmetic.
 *
 * Slot layout (11 bytes, big-endian): `hi` (4) | `low` (3) | seconds (4). `hi === 0` marks an
 * empty slot, which is why callers map a zero `hi` to 1. The home slot is `floor(hi * capacity / 2^32)`
 * (monotone in `hi`), so a slot's home can be recomputed from what it stores: lookups stop early as
 * soon as they meet an entry whose home lies after theirs, and growing re-inserts from the slots
 * alone. Insertion keeps every cluster sorted by home (Robin Hood with a monotone hash), shifting the
 * tail of the cluster one slot right. `stagger` in [0, 1) scales every capacity by 2^stagger.
 */
export class FingerprintSegment {
  /**
   * Allocates slot storage: plain memory by default, or a `SharedArrayBuffer` when the table is
   * shared with worker threads (see `SharedFingerprintReader`).
   */
  allocate: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes);

  /** The slots, `capacity * SLOT_BYTES` bytes; empty until the first insert. */
  slots: Uint8Array = NO_SLOTS;
  /** A big-endian reader over {@link slots} (replaced with it), so a lookup reads `hi` in one load. */
  private view: DataView<ArrayBufferLike> = new DataView(NO_SLOTS.buffer);
  capacity = 0;
  count = 0;
  private limit = 0;
  private scale = 0;
  private step = FIRST_STEP - 1;
  private readonly stagger: number;

  constructor(stagger: number) {
    this.stagger = stagger;
  }

  /** Stored seconds for the fingerprint, or -1. */
  get(hi: number, low: number): number {
    if (this.count === 0) return -1;
    const at = this.find(hi, low);
    if (at < 0) return -1;
    const s = this.slots;
    const o = at * SLOT_BYTES + 7;
    return ((s[o]! << 24) | (s[o + 1]! << 16) | (s[o + 2]! << 8) | s[o + 3]!) >>> 0;
  }

  /** Inserts the fingerprint, or lowers its seconds to `seconds` if smaller. True when inserted. */
  upsertMin(hi: number, low: number, seconds: number): boolean {
    if (this.capacity === 0) this.grow();
    let at = this.find(hi, low);
    if (at >= 0) {
      const s = this.slots;
      const o = at * SLOT_BYTES + 7;
      const current = ((s[o]! << 24) | (s[o + 1]! << 16) | (s[o + 2]! << 8) | s[o + 3]!) >>> 0;
      if (seconds < current) writeSeconds(s, o, seconds);
      return false;
    }
    if (this.count >= this.limit) {
      this.grow();
      at = this.find(hi, low);
    }
    this.insertAt(~at, hi, low, seconds);
    return true;
  }

  /** Capacity exponent: capacity = round(2^(step + stagger)); `FIRST_STEP - 1` while empty. */
  get sizeStep(): number {
    return this.step;
  }

  /**
   * Replaces the contents with `count` entries at capacity exponent `step` and returns the new,
   * zeroed slot storage for the caller to fill (a snapshot load). Call {@link countUsedSlots} after
   * filling to check `count`.
   * @throws RangeError when `step` is outside [FIRST_STEP - 1, MAX_STEP] or `count` exceeds the
   *   load limit of that capacity (the segment is left unchanged).
   */
  restore(step: number, count: number): Uint8Array {
    if (!Number.isInteger(step) || step < FIRST_STEP - 1 || step > MAX_STEP) throw new RangeError('step');
    const capacity = step < FIRST_STEP ? 0 : Math.round(2 ** (step + this.stagger));
    const limit = Math.floor(capacity * MAX_LOAD);
    if (!Number.isInteger(count) || count < 0 || count > limit) throw new RangeError('count');
    this.step = step;
    this.capacity = capacity;
    this.limit = limit;
    this.scale = capacity / TWO_POW_32;
    this.slots = capacity === 0 ? NO_SLOTS : this.allocate(capacity * SLOT_BYTES);
    this.view = new DataView(this.slots.buffer, this.slots.byteOffset, this.slots.byteLength);
    this.count = count;
    return this.slots;
  }

  /** Number of non-empty slots (a full scan; checks a restored segment against its `count`). */
  countUsedSlots(): number {
    let used = 0;
    for (let o = 0; o < this.slots.length; o += SLOT_BYTES) if (this.view.getUint32(o) !== 0) used++;
    return used;
  }

  /** Slot index holding the fingerprint, or `~insertionSlot` when absent. Requires capacity > 0. */
  private find(hi: number, low: number): number {
    return findSlot(this.view, this.capacity, this.scale, hi, low);
  }

  /** Shifts the cluster tail starting at `pos` one slot right (wrapping) and writes the entry. */
  private insertAt(pos: number, hi: number, low: number, seconds: number): void {
    const s = this.slots;
    const cap = this.capacity;
    let end = pos;
    while (
      s[end * SLOT_BYTES]! |
      s[end * SLOT_BYTES + 1]! |
      s[end * SLOT_BYTES + 2]! |
      s[end * SLOT_BYTES + 3]!
    ) {
      end = end + 1 === cap ? 0 : end + 1;
    }
    if (end === pos) {
      // Empty slot: nothing to shift.
    } else if (end > pos) {
      s.copyWithin((pos + 1) * SLOT_BYTES, pos * SLOT_BYTES, end * SLOT_BYTES);
    } else {
      s.copyWithin(SLOT_BYTES, 0, end * SLOT_BYTES);
      s.copyWithin(0, (cap - 1) * SLOT_BYTES, cap * SLOT_BYTES);
      s.copyWithin((pos + 1) * SLOT_BYTES, pos * SLOT_BYTES, (cap - 1) * SLOT_BYTES);
    }
    const o = pos * SLOT_BYTES;
    s[o] = hi >>> 24;
    s[o + 1] = hi >>> 16;
    s[o + 2] = hi >>> 8;
    s[o + 3] = hi;
    s[o + 4] = low >>> 16;
    s[o + 5] = low >>> 8;
    s[o + 6] = low;
    writeSeconds(s, o + 7, seconds);
    this.count++;
  }

  /**
   * Doubles the capacity (up to rounding of the staggered size) and re-inserts every entry into
   * NEW storage: the previous `slots` are never written again, so a reader still holding them sees
   * a consistent (if stale) segment.
   */
  private grow(): void {
    const old = this.slots;
    const oldCap = this.capacity;
    this.step++;
    this.capacity = Math.round(2 ** (this.step + this.stagger));
    this.limit = Math.floor(this.capacity * MAX_LOAD);
    this.scale = this.capacity / TWO_POW_32;
    this.slots = this.allocate(this.capacity * SLOT_BYTES);
    this.view = new DataView(this.slots.buffer);
    this.count = 0;
    for (let i = 0; i < oldCap; i++) {
      const o = i * SLOT_BYTES;
      const hi = ((old[o]! << 24) | (old[o + 1]! << 16) | (old[o + 2]! << 8) | old[o + 3]!) >>> 0;
      if (hi === 0) continue;
      const low = (old[o + 4]! << 16) | (old[o + 5]! << 8) | old[o + 6]!;
      const seconds = ((old[o + 7]! << 24) | (old[o + 8]! << 16) | (old[o + 9]! << 8) | old[o + 10]!) >>> 0;
      this.insertAt(~this.find(hi, low), hi, low, seconds);
    }
  }
}

/**
 * Slot index holding the fingerprint in a segment of `capacity` slots read through `view`, or
 * `~insertionSlot` when absent; `scale = capacity / 2^32`. Requires capacity > 0. Probes at most
 * `capacity` slots, so even a torn concurrent read (see `SharedFingerprintReader`) terminates.
 */
export function findSlot(v: DataView, cap: number, scale: number, hi: number, low: number): number {
  let i = Math.floor(hi * scale);
  for (let d = 0; d < cap; d++) {
    const o = i * SLOT_BYTES;
    const slotHi = v.getUint32(o);
    if (slotHi === 0) return ~i;
    if (slotHi === hi) {
      // Bytes 3..6 of the slot: the last `hi` byte, then the 3 `low` bytes.
      if ((v.getUint32(o + 3) & 0xffffff) === low) return i;
    } else {
      const home = Math.floor(slotHi * scale);
      if ((i >= home ? i - home : i + cap - home) < d) return ~i;
    }
    i = i + 1 === cap ? 0 : i + 1;
  }
  return ~i;
}

function writeSeconds(s: Uint8Array, o: number, seconds: number): void {
  s[o] = seconds >>> 24;
  s[o + 1] = seconds >>> 16;
  s[o + 2] = seconds >>> 8;
  s[o + 3] = seconds;
}
