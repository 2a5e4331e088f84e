import { findSlot, SLOT_BYTES } from './internal/fingerprint-segment.js';
import { hiOf, lowOf, SEGMENT_COUNT, segmentOf } from './internal/fingerprint-table.js';
import { assertFirstLevelHash, assertHashAt } from './opt-out-record.js';

/**
 * The first-level-hash table of a shared {@link OptOutIndex} (`shared: true`), as handed to worker
 * threads with `postMessage`: every array is backed by a `SharedArrayBuffer` (an empty segment may
 * be a plain zero-length array), so nothing is copied and readers see the index's later writes.
 */
export interface SharedOptOutHashes {
  /** Per-segment sequence numbers (2048), odd while the index writes that segment. */
  readonly versions: Int32Array;
  /** Slot storage of each of the 2048 segments, as of when the handles were taken. */
  readonly segments: readonly Uint8Array[];
}

/**
 * New storage of one segment after the index doubled it. The index never writes the previous
 * storage again; forward these to readers ({@link SharedOptOutHashReader.replaceSegment}) so they
 * also see records added after the doubling.
 */
export interface SharedSegmentUpdate {
  /** Segment number, 0–2047. */
  readonly segment: number;
  readonly slots: Uint8Array;
}

const TWO_POW_32 = 2 ** 32;

interface SegmentView {
  readonly view: DataView;
  readonly capacity: number;
  readonly scale: number;
}

const EMPTY: SegmentView = { view: new DataView(new ArrayBuffer(0)), capacity: 0, scale: 0 };

function viewOf(slots: Uint8Array): SegmentView {
  const capacity = Math.floor(slots.length / SLOT_BYTES);
  if (capacity === 0) return EMPTY;
  return {
    view: new DataView(slots.buffer, slots.byteOffset, slots.length),
    capacity,
    scale: capacity / TWO_POW_32,
  };
}

/**
 * Answers "is this first-level hash opted out?" in another thread from a shared index's
 * {@link SharedOptOutHashes}, without copying the table (a 10 M-entry index is ≈ 176 MB per table)
 * and without locks: each lookup reads the segment's sequence number before and after probing and
 * retries when a write overlapped it. Answers equal `OptOutIndex.isOptedOut` on the index, except
 * that records added to a segment after it grew are seen only once its
 * {@link SharedSegmentUpdate} has been applied (until then the reader answers from the older,
 * consistent storage). Advertising ids are not shared: use the index itself for those.
 */
export class SharedOptOutHashReader {
  private readonly versions: Int32Array;
  private readonly segments: SegmentView[];

  /** @throws TypeError when the handles are not a shared index's (2048 segments and versions). */
  constructor(shared: SharedOptOutHashes) {
    if (
      !(shared.versions instanceof Int32Array) ||
      shared.versions.length !== SEGMENT_COUNT ||
      shared.segments.length !== SEGMENT_COUNT
    ) {
      throw new TypeError('not the shared first-level-hash table of an OptOutIndex');
    }
    this.versions = shared.versions;
    this.segments = shared.segments.map(viewOf);
  }

  /** Switches one segment to its new storage. @throws RangeError for a segment outside 0–2047. */
  replaceSegment(update: SharedSegmentUpdate): void {
    if (!(update.segment >= 0 && update.segment < SEGMENT_COUNT && Number.isInteger(update.segment))) {
      throw new RangeError(`segment ${update.segment} is outside 0–${SEGMENT_COUNT - 1}`);
    }
    this.segments[update.segment] = viewOf(update.slots);
  }

  /**
   * True when the 32-byte first-level hash is opted out (any time).
   * Throws `OptOutError` `ERR_OPTOUT_BAD_HASH` for another length.
   */
  isOptedOut(firstLevelHash: Uint8Array): boolean {
    assertFirstLevelHash(firstLevelHash);
    return this.lookup(firstLevelHash, 0);
  }

  /**
   * {@link SharedOptOutHashReader.isOptedOut} of the 32 bytes at `offset` of `bytes`. Throws
   * `OptOutError` `ERR_OPTOUT_BAD_HASH` unless `bytes[offset, offset + 32)` lies inside `bytes`.
   */
  isOptedOutAt(bytes: Uint8Array, offset: number): boolean {
    assertHashAt(bytes, offset);
    return this.lookup(bytes, offset);
  }

  private lookup(key: Uint8Array, base: number): boolean {
    const j = segmentOf(key, base);
    const hi = hiOf(key, base);
    const low = lowOf(key, base);
    const versions = this.versions;
    for (;;) {
      const before = Atomics.load(versions, j);
      if ((before & 1) === 0) {
        const segment = this.segments[j]!;
        const found =
          segment.capacity > 0 && findSlot(segment.view, segment.capacity, segment.scale, hi, low) >= 0;
        if (Atomics.load(versions, j) === before) return found;
      }
    }
  }
}
