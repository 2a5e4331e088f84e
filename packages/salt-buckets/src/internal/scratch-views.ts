import { Buffer } from 'node:buffer';

const INITIAL_BYTES = 256;

/**
 * A growable scratch buffer plus cached views of its first N bytes. `crypto.hash` takes a whole
 * view, so hashing a prefix of a reused buffer needs a view of exactly that length; caching the
 * views per length avoids allocating one per hash.
 */
export class ScratchViews {
  private buffer = Buffer.alloc(INITIAL_BYTES);
  private views: (Buffer | undefined)[] = [];

  /**
   * The scratch buffer, grown to at least `length` bytes. Call before writing; growing keeps the
   * contents and drops the cached views.
   */
  ensure(length: number): Buffer {
    if (length > this.buffer.length) {
      const grown = Buffer.alloc(Math.max(length, this.buffer.length * 2));
      this.buffer.copy(grown);
      this.buffer = grown;
      this.views = [];
    }
    return this.buffer;
  }

  /** A cached view of the first `length` bytes (`length` ≤ the size passed to {@link ensure}). */
  view(length: number): Buffer {
    let view = this.views[length];
    if (view === undefined) {
      view = this.buffer.subarray(0, length);
      this.views[length] = view;
    }
    return view;
  }
}
