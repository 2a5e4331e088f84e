import { Buffer } from 'node:buffer';
import { SaltError } from '../salt-error.js';
import type { KeyMaterial, SaltBucket } from '../salt-bucket.js';
import type { SaltTable, SaltTableState } from '../salt-table.js';
import { KeyedAesBlocks } from './aes-block.js';
import { BASE64_OF_32_LENGTH } from './base64.js';
import { checkedBucket } from './checked-bucket.js';
import { ScratchViews } from './scratch-views.js';

/** Text fields of one bucket record, stored back to back in the arena in this order (hot first). */
export const F_CURRENT_SALT = 0;
export const F_PREVIOUS_SALT = 1;
export const F_CURRENT_KEY = 2;
export const F_CURRENT_KEY_SALT = 3;
export const F_PREVIOUS_KEY = 4;
export const F_PREVIOUS_KEY_SALT = 5;
export const F_BUCKET_ID = 6;
const FIELD_COUNT = 7;

// One 48-byte slot per bucket, so a lookup touches one slot plus the bucket's arena record:
// f64[0] lastUpdatedMs, f64[1] refreshFromMs, u32[4] record offset, u32[5..8] two 16-bit field
// lengths each (field 6 shares word 8 with the loaded flag), i32[9] / i32[10] current / previous key id.
const SLOT_WORDS = 12;
const SLOT_F64 = SLOT_WORDS / 2;
const W_OFFSET = 4;
const W_LENGTHS = 5;
const W_CURRENT_KEY_ID = 9;
const W_PREVIOUS_KEY_ID = 10;
const W_LOADED = 8;
const LOADED_FLAG = 0x10000;

const MIN_ARENA_BYTES = 4096;
const INITIAL_BYTES_PER_BUCKET = 128;
const COMPACT_MIN_DEAD_BYTES = 1 << 20;

/**
 * Compact in-memory salt table: an arena of UTF-8 text plus one fixed-size numeric slot per bucket
 * (no per-bucket objects). An empty string and `null` are stored alike (length 0 = absent).
 * Rewriting a bucket appends a new record; the arena is compacted once dead records outweigh
 * live ones.
 */
export class CompactSaltTable implements SaltTable {
  readonly firstLevelSalt: string;
  readonly bucketCount: number;
  /** Arena of bucket records (text bytes). Replaced when it grows or is compacted. */
  arena: Buffer;
  private arenaUsed = 0;
  private deadBytes = 0;
  private loadedBuckets = 0;
  /**
   * True once every bucket is loaded (buckets are never unloaded): lets the hot mapping path skip
   * the per-id {@link requireLoaded} slot read.
   */
  fullyLoaded = false;
  /** Restored from shared memory that other threads read: `set` throws. */
  private readonly readOnly: boolean = false;
  private readonly f64: Float64Array;
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;
  /** Single-block AES encryptors keyed by key id (verified against the key bytes on use). */
  readonly ciphers = new KeyedAesBlocks();
  /** `base64(diiHash) ‖ firstLevelSalt` scratch; the salt part is written once. */
  readonly firstLevelScratch: Buffer;
  /** `base64(flh) ‖ salt` scratch for raw UID v2/v3. */
  readonly saltScratch = new ScratchViews();
  /** `keySalt ‖ flhTail ‖ meta ‖ keyId3` scratch for the raw UID v4 IV. */
  readonly ivScratch = new ScratchViews();

  /**
   * An empty table, or (with `state`) one holding a copy's bytes as they are: the arena and slot
   * bytes are used in place when the slots are 8-byte aligned, and checked record by record.
   */
  constructor(firstLevelSalt: string, bucketCount: number, state?: { arena: Uint8Array; slots: Uint8Array }) {
    if (typeof firstLevelSalt !== 'string' || !(Number.isInteger(bucketCount) && bucketCount > 0)) {
      throw new TypeError('a salt table needs a first-level salt and a positive integer bucket count');
    }
    this.firstLevelSalt = firstLevelSalt;
    this.bucketCount = bucketCount;
    const slotBytes = bucketCount * SLOT_WORDS * 4;
    let slots: ArrayBufferLike;
    if (state === undefined) {
      this.arena = Buffer.allocUnsafe(Math.max(MIN_ARENA_BYTES, bucketCount * INITIAL_BYTES_PER_BUCKET));
      slots = new ArrayBuffer(slotBytes);
    } else {
      if (
        !(state.arena instanceof Uint8Array) ||
        !(state.slots instanceof Uint8Array) ||
        state.slots.length !== slotBytes
      ) {
        throw new TypeError('salt table state does not match its bucket count');
      }
      this.arena = Buffer.from(state.arena.buffer, state.arena.byteOffset, state.arena.length);
      this.arenaUsed = state.arena.length;
      this.readOnly =
        state.arena.buffer instanceof SharedArrayBuffer || state.slots.buffer instanceof SharedArrayBuffer;
      const inPlace = state.slots.byteOffset === 0 && state.slots.buffer.byteLength === slotBytes;
      slots = inPlace ? state.slots.buffer : new Uint8Array(state.slots).buffer;
    }
    this.f64 = new Float64Array(slots);
    this.u32 = new Uint32Array(slots);
    this.i32 = new Int32Array(slots);
    const saltBytes = Buffer.from(firstLevelSalt, 'utf8');
    this.firstLevelScratch = Buffer.alloc(BASE64_OF_32_LENGTH + saltBytes.length);
    saltBytes.copy(this.firstLevelScratch, BASE64_OF_32_LENGTH);
    if (state !== undefined) this.checkRestored();
  }

  /** Counts the loaded buckets of a restored table and checks every record lies in the arena. */
  private checkRestored(): void {
    let live = 0;
    for (let index = 0; index < this.bucketCount; index++) {
      if (!this.has(index)) continue;
      const size = this.recordBytes(index);
      if ((this.u32[index * SLOT_WORDS + W_OFFSET] ?? 0) + size > this.arenaUsed) {
        throw new SaltError('ERR_SALT_INVALID_BUCKET', index);
      }
      live += size;
      this.loadedBuckets++;
    }
    this.deadBytes = this.arenaUsed - live;
    this.fullyLoaded = this.loadedBuckets === this.bucketCount;
  }

  /**
   * Copies of the arena's used bytes and of the slots, each in its own ArrayBuffer (transferable)
   * or, with `shared`, SharedArrayBuffer (posted to threads by reference).
   */
  exportState(options: { readonly shared?: boolean } = {}): SaltTableState {
    const allocate = (bytes: number): Uint8Array =>
      new Uint8Array(options.shared === true ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const arena = allocate(this.arenaUsed);
    arena.set(this.arena.subarray(0, this.arenaUsed));
    const slots = allocate(this.f64.byteLength);
    slots.set(new Uint8Array(this.f64.buffer, this.f64.byteOffset, this.f64.byteLength));
    return { firstLevelSalt: this.firstLevelSalt, bucketCount: this.bucketCount, arena, slots };
  }

  get loadedCount(): number {
    return this.loadedBuckets;
  }

  has(index: number): boolean {
    return ((this.u32[index * SLOT_WORDS + W_LOADED] ?? 0) & LOADED_FLAG) !== 0;
  }

  set(bucket: SaltBucket): void {
    if (this.readOnly) throw new TypeError('a salt table restored from shared memory is read-only');
    const { index, texts, currentKey, previousKey } = checkedBucket(bucket, this.bucketCount);
    const wasLoaded = this.has(index);
    this.writeRecord(index, texts);
    const slot = index * SLOT_WORDS;
    this.f64[index * SLOT_F64] = bucket.lastUpdatedMs;
    this.f64[index * SLOT_F64 + 1] = bucket.refreshFromMs;
    this.i32[slot + W_CURRENT_KEY_ID] = currentKey?.id ?? 0;
    this.i32[slot + W_PREVIOUS_KEY_ID] = previousKey?.id ?? 0;
    this.u32[slot + W_LOADED] = (this.u32[slot + W_LOADED] ?? 0) | LOADED_FLAG;
    if (!wasLoaded && ++this.loadedBuckets === this.bucketCount) this.fullyLoaded = true;
    if (this.deadBytes > COMPACT_MIN_DEAD_BYTES && this.deadBytes > this.arenaUsed - this.deadBytes)
      this.compact();
  }

  setAll(buckets: Iterable<SaltBucket>): void {
    for (const bucket of buckets) this.set(bucket);
  }

  bucket(index: number): SaltBucket {
    this.requireLoaded(index);
    return {
      index,
      bucketId: this.text(index, F_BUCKET_ID) ?? '',
      lastUpdatedMs: this.lastUpdatedUnchecked(index),
      refreshFromMs: this.refreshFromUnchecked(index),
      currentSalt: this.text(index, F_CURRENT_SALT),
      previousSalt: this.text(index, F_PREVIOUS_SALT),
      currentKey: this.keyMaterial(index, F_CURRENT_KEY, this.keyId(index, F_CURRENT_KEY)),
      previousKey: this.keyMaterial(index, F_PREVIOUS_KEY, this.keyId(index, F_PREVIOUS_KEY)),
    };
  }

  bucketIdAt(index: number): string {
    this.requireLoaded(index);
    return this.text(index, F_BUCKET_ID) ?? '';
  }

  lastUpdatedMsAt(index: number): number {
    this.requireLoaded(index);
    return this.lastUpdatedUnchecked(index);
  }

  refreshFromMsAt(index: number): number {
    this.requireLoaded(index);
    return this.refreshFromUnchecked(index);
  }

  /** Throws `ERR_SALT_BUCKET_MISSING` unless the bucket is loaded (RangeError outside the table). */
  requireLoaded(index: number): void {
    if (this.has(index)) return;
    if (!(Number.isInteger(index) && index >= 0 && index < this.bucketCount)) {
      throw new RangeError('bucket index out of range');
    }
    throw new SaltError('ERR_SALT_BUCKET_MISSING', index);
  }

  lastUpdatedUnchecked(index: number): number {
    return this.f64[index * SLOT_F64] ?? 0;
  }

  refreshFromUnchecked(index: number): number {
    return this.f64[index * SLOT_F64 + 1] ?? 0;
  }

  /** Key id of the current (`F_CURRENT_KEY`) or previous (`F_PREVIOUS_KEY`) key material. */
  keyId(index: number, keyField: number): number {
    return (
      this.i32[index * SLOT_WORDS + (keyField === F_CURRENT_KEY ? W_CURRENT_KEY_ID : W_PREVIOUS_KEY_ID)] ?? 0
    );
  }

  /** Byte length of a text field (0 = absent). */
  fieldLength(index: number, field: number): number {
    const word = this.u32[index * SLOT_WORDS + W_LENGTHS + (field >>> 1)] ?? 0;
    return (field & 1) === 1 ? word >>> 16 : word & 0xffff;
  }

  /** Arena offset of a text field. */
  fieldOffset(index: number, field: number): number {
    let offset = this.u32[index * SLOT_WORDS + W_OFFSET] ?? 0;
    for (let f = 0; f < field; f++) offset += this.fieldLength(index, f);
    return offset;
  }

  private text(index: number, field: number): string | null {
    const length = this.fieldLength(index, field);
    if (length === 0) return field === F_BUCKET_ID ? '' : null;
    const offset = this.fieldOffset(index, field);
    return this.arena.toString('utf8', offset, offset + length);
  }

  private keyMaterial(index: number, keyField: number, id: number): KeyMaterial | null {
    const key = this.text(index, keyField);
    const salt = this.text(index, keyField + 1);
    return key === null || salt === null ? null : { id, key, salt };
  }

  private writeRecord(index: number, texts: readonly string[]): void {
    let worstCase = 0;
    for (const text of texts) worstCase += text.length * 3;
    this.reserve(worstCase);
    if (this.has(index)) this.deadBytes += this.recordBytes(index);
    const slot = index * SLOT_WORDS;
    const start = this.arenaUsed;
    let offset = start;
    for (let f = 0; f < FIELD_COUNT; f += 2) {
      const first = texts[f] ?? '';
      const second = texts[f + 1] ?? '';
      const firstBytes = first.length === 0 ? 0 : this.arena.write(first, offset, 'utf8');
      offset += firstBytes;
      const secondBytes = second.length === 0 ? 0 : this.arena.write(second, offset, 'utf8');
      offset += secondBytes;
      const keep = f + 1 === FIELD_COUNT ? (this.u32[slot + W_LENGTHS + (f >>> 1)] ?? 0) & LOADED_FLAG : 0;
      this.u32[slot + W_LENGTHS + (f >>> 1)] = firstBytes | (secondBytes << 16) | keep;
    }
    this.u32[slot + W_OFFSET] = start;
    this.arenaUsed = offset;
  }

  private recordBytes(index: number): number {
    let total = 0;
    for (let f = 0; f < FIELD_COUNT; f++) total += this.fieldLength(index, f);
    return total;
  }

  private reserve(bytes: number): void {
    if (this.arenaUsed + bytes <= this.arena.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaUsed + bytes));
    this.arena.copy(grown, 0, 0, this.arenaUsed);
    this.arena = grown;
  }

  private compact(): void {
    const live = this.arenaUsed - this.deadBytes;
    const next = Buffer.allocUnsafe(Math.max(MIN_ARENA_BYTES, live * 2));
    let used = 0;
    for (let index = 0; index < this.bucketCount; index++) {
      if (!this.has(index)) continue;
      const size = this.recordBytes(index);
      const from = this.u32[index * SLOT_WORDS + W_OFFSET] ?? 0;
      this.arena.copy(next, used, from, from + size);
      this.u32[index * SLOT_WORDS + W_OFFSET] = used;
      used += size;
    }
    this.arena = next;
    this.arenaUsed = used;
    this.deadBytes = 0;
  }
}
