import { createHash, timingSafeEqual, type Hash } from 'node:crypto';
import { OptOutError } from '../optout-error.js';
import { SLOT_BYTES } from './fingerprint-segment.js';
import { SEGMENT_COUNT, type FingerprintTable } from './fingerprint-table.js';

/**
 * Serialized form of an opt-out index (internal; `OptOutIndex.snapshot` documents the contract).
 * Big-endian throughout:
 *
 * ```
 * header   16 B  magic "U2OI" | format u16 = 1 | slot bytes u8 = 11 | segment bits u8 = 11
 *                | tables u8 = 2 | scope u8 (0 every scope, 1 UID2, 2 EUID) | 6 B zero
 * table × 2      segment × 2048: step u8 | count u32 | capacity × 11 slot bytes
 * trailer  32 B  SHA-256 of every byte before it
 * ```
 *
 * A segment's capacity follows from its step and its index, as in a live table, so the stream
 * needs no lengths: a reader allocates each segment and copies its slots straight into it.
 */
const MAGIC = 0x55_32_4f_49;
const FORMAT = 1;
const HEADER_BYTES = 16;
const SEGMENT_HEADER_BYTES = 5;
const DIGEST_BYTES = 32;
const SEGMENT_BITS = Math.log2(SEGMENT_COUNT);

/** Default size of the chunks {@link writeIndexSnapshot} yields (8 MiB). */
export const DEFAULT_SNAPSHOT_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Yields the snapshot of `tables` (scope code 0–2) in chunks of at least `chunkBytes` (the last
 * one may be shorter) that exceed it by at most one segment. Every chunk is a fresh copy built in
 * one synchronous step, so each segment is captured whole even when the tables change between chunks.
 */
export function* writeIndexSnapshot(
  tables: readonly FingerprintTable[],
  scopeCode: number,
  chunkBytes: number,
): Generator<Uint8Array> {
  const hash = createHash('sha256');
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(0, MAGIC);
  view.setUint16(4, FORMAT);
  header.set([SLOT_BYTES, SEGMENT_BITS, tables.length, scopeCode], 6);
  let parts: Uint8Array[] = [header];
  let pending = HEADER_BYTES;
  const flush = (): Uint8Array => {
    const chunk = concat(parts, pending);
    hash.update(chunk);
    parts = [];
    pending = 0;
    return chunk;
  };
  for (const table of tables) {
    for (let j = 0; j < SEGMENT_COUNT; j++) {
      const { step, count, slots } = table.segmentState(j);
      const segmentHeader = new Uint8Array(SEGMENT_HEADER_BYTES);
      segmentHeader[0] = step;
      new DataView(segmentHeader.buffer).setUint32(1, count);
      parts.push(segmentHeader, slots);
      pending += SEGMENT_HEADER_BYTES + slots.length;
      if (pending >= chunkBytes) yield flush();
    }
  }
  const last = flush();
  const digest = hash.digest();
  yield concat([last, digest], last.length + DIGEST_BYTES);
}

/**
 * Fills empty `tables` from a snapshot stream written by {@link writeIndexSnapshot} for the same
 * scope code.
 * @throws OptOutError `ERR_OPTOUT_BAD_SNAPSHOT` for another format, scope or table count, a
 *   truncated or over-long stream, an impossible segment, or a checksum mismatch
 */
export async function readIndexSnapshot(
  source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  tables: readonly FingerprintTable[],
  scopeCode: number,
): Promise<void> {
  const reader = new ChunkReader(source);
  try {
    await readTables(reader, tables, scopeCode);
  } catch (error) {
    await reader.close().catch(() => undefined);
    throw error;
  }
}

async function readTables(
  reader: ChunkReader,
  tables: readonly FingerprintTable[],
  scopeCode: number,
): Promise<void> {
  const header = new Uint8Array(HEADER_BYTES);
  await reader.fill(header);
  const view = new DataView(header.buffer);
  if (
    view.getUint32(0) !== MAGIC ||
    view.getUint16(4) !== FORMAT ||
    header[6] !== SLOT_BYTES ||
    header[7] !== SEGMENT_BITS ||
    header[8] !== tables.length ||
    header[9] !== scopeCode
  ) {
    throw badSnapshot();
  }
  const segmentHeader = new Uint8Array(SEGMENT_HEADER_BYTES);
  const segmentView = new DataView(segmentHeader.buffer);
  try {
    for (const table of tables) {
      for (let j = 0; j < SEGMENT_COUNT; j++) {
        await reader.fill(segmentHeader);
        await reader.fill(table.restoreSegment(j, segmentHeader[0]!, segmentView.getUint32(1)));
      }
    }
  } catch (error) {
    throw error instanceof RangeError ? badSnapshot() : error;
  }
  const expected = reader.digest();
  const digest = new Uint8Array(DIGEST_BYTES);
  await reader.fill(digest, false);
  if (!timingSafeEqual(digest, expected) || !(await reader.atEnd())) throw badSnapshot();
  try {
    for (const table of tables) table.finishRestore();
  } catch {
    throw badSnapshot();
  }
}

function badSnapshot(): OptOutError {
  return new OptOutError('ERR_OPTOUT_BAD_SNAPSHOT');
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Pulls exact byte counts out of a stream of chunks, hashing what it hands out. */
class ChunkReader {
  private readonly iterator: Iterator<Uint8Array> | AsyncIterator<Uint8Array>;
  private readonly hash: Hash = createHash('sha256');
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;

  constructor(source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>) {
    this.iterator =
      Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  }

  /**
   * Copies the next `target.length` bytes into `target` (hashed unless `hashed` is false).
   * Throws `ERR_OPTOUT_BAD_SNAPSHOT` when the stream ends first.
   */
  async fill(target: Uint8Array, hashed = true): Promise<void> {
    let written = 0;
    while (written < target.length) {
      if (this.at === this.chunk.length && !(await this.advance())) throw badSnapshot();
      const take = Math.min(target.length - written, this.chunk.length - this.at);
      const piece = this.chunk.subarray(this.at, this.at + take);
      target.set(piece, written);
      if (hashed) this.hash.update(piece);
      this.at += take;
      written += take;
    }
  }

  /** SHA-256 of every byte handed out so far (call once). */
  digest(): Buffer {
    return this.hash.digest();
  }

  /** Lets the source release what it holds (a database cursor) when reading stops early. */
  async close(): Promise<void> {
    await this.iterator.return?.();
  }

  /** True when no byte is left in the stream. */
  async atEnd(): Promise<boolean> {
    return this.at === this.chunk.length && !(await this.advance());
  }

  private async advance(): Promise<boolean> {
    for (;;) {
      const next = await this.iterator.next();
      if (next.done === true) return false;
      if (!(next.value instanceof Uint8Array)) throw badSnapshot();
      if (next.value.length === 0) continue;
      this.chunk = next.value;
      this.at = 0;
      return true;
    }
  }
}
