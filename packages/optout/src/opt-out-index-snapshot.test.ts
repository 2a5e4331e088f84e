import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OptOutError, OptOutIndex, SharedOptOutHashReader } from './index.js';
import type { OptOutIndexOptions, OptOutRecord } from './index.js';

const T0 = 1_700_000_000;

function records(count: number, scope: 'UID2' | 'EUID' = 'UID2'): OptOutRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    firstLevelHash: randomBytes(32),
    advertisingId: i % 3 === 0 ? null : randomBytes(i % 2 === 0 ? 32 : 33),
    scope,
    type: 'email' as const,
    optedOutAtSeconds: T0 + i,
  }));
}

function concat(chunks: Iterable<Uint8Array>): Buffer {
  return Buffer.concat([...chunks]);
}

/** Splits `bytes` into chunks of `size` (the last may be shorter). */
function* split(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function* slowly(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    await new Promise((resolve) => setImmediate(resolve));
    yield chunk;
  }
}

async function loadCode(
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options?: OptOutIndexOptions,
): Promise<string | undefined> {
  try {
    await OptOutIndex.fromSnapshot(chunks, options);
  } catch (error) {
    if (error instanceof OptOutError) return error.code;
    throw error;
  }
  return undefined;
}

/** Replaces the SHA-256 trailer so a deliberate edit passes the checksum. */
function resealed(bytes: Buffer): Buffer {
  const body = bytes.subarray(0, bytes.length - 32);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

function expectSameAnswers(a: OptOutIndex, b: OptOutIndex, sample: readonly OptOutRecord[]): void {
  expect(b.size).toBe(a.size);
  expect(b.advertisingIdCount).toBe(a.advertisingIdCount);
  expect(b.memoryBytes()).toBe(a.memoryBytes());
  for (const record of sample) {
    expect(b.optedOutSince(record.firstLevelHash)).toBe(a.optedOutSince(record.firstLevelHash));
    if (record.advertisingId !== null) {
      expect(b.advertisingIdOptedOutSince(record.advertisingId)).toBe(
        a.advertisingIdOptedOutSince(record.advertisingId),
      );
    }
  }
  for (let i = 0; i < 2_000; i++) expect(b.isOptedOut(randomBytes(32))).toBe(false);
}

describe('OptOutIndex snapshots', () => {
  it('round-trips every entry and time of both tables, whatever the chunking', async () => {
    const added = records(30_000);
    const original = await OptOutIndex.fromRecords(added);
    const bytes = concat(original.snapshot({ chunkBytes: 64 * 1024 }));
    expect(bytes.length).toBeGreaterThan(original.memoryBytes());
    expect(bytes.length).toBeLessThan(original.memoryBytes() + 21 * 1024);
    for (const chunks of [[bytes], split(bytes, 1_000), slowly(split(bytes, 777_777))]) {
      expectSameAnswers(original, await OptOutIndex.fromSnapshot(chunks), added);
    }
  });

  it('yields chunks of at least the requested size, at most one segment longer', () => {
    const index = new OptOutIndex();
    index.addAll(records(50_000));
    const chunks = [...index.snapshot({ chunkBytes: 100_000 })];
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(100_000);
      expect(chunk.length).toBeLessThan(100_000 + 4_096);
    }
    expect(() => [...index.snapshot({ chunkBytes: 0 })]).toThrow(RangeError);
  });

  it('round-trips an empty index, and a restored index keeps growing like a built one', async () => {
    const empty = await OptOutIndex.fromSnapshot(new OptOutIndex().snapshot());
    expect(empty.size).toBe(0);
    const first = records(5_000);
    const built = new OptOutIndex();
    built.addAll(first);
    const restored = await OptOutIndex.fromSnapshot(built.snapshot());
    const more = records(40_000);
    built.addAll(more);
    restored.addAll(more);
    expectSameAnswers(built, restored, [...first, ...more]);
    // Re-adding a snapshotted record with an earlier time lowers it.
    restored.add({ ...first[0]!, optedOutAtSeconds: T0 - 100 });
    expect(restored.optedOutSince(first[0]!.firstLevelHash)).toBe(T0 - 100);
  });

  it('loads into a shared index whose readers answer like the index', async () => {
    const added = records(20_000);
    const built = new OptOutIndex();
    built.addAll(added);
    const shared = await OptOutIndex.fromSnapshot(built.snapshot(), { shared: true });
    const reader = new SharedOptOutHashReader(structuredClone(shared.shareFirstLevelHashes()));
    for (const record of added) expect(reader.isOptedOut(record.firstLevelHash)).toBe(true);
    for (let i = 0; i < 2_000; i++) expect(reader.isOptedOut(randomBytes(32))).toBe(false);
  });

  it('keeps the scope: a scoped snapshot loads only with the same scope', async () => {
    const index = new OptOutIndex({ scope: 'EUID' });
    index.addAll([...records(100, 'EUID'), ...records(100, 'UID2')]);
    expect(index.size).toBe(100);
    const bytes = concat(index.snapshot());
    expect((await OptOutIndex.fromSnapshot([bytes], { scope: 'EUID' })).size).toBe(100);
    expect(await loadCode([bytes], { scope: 'UID2' })).toBe('ERR_OPTOUT_BAD_SNAPSHOT');
    expect(await loadCode([bytes])).toBe('ERR_OPTOUT_BAD_SNAPSHOT');
  });

  it('holds everything added before the call while the index changes between chunks', async () => {
    const before = records(20_000);
    const index = new OptOutIndex();
    index.addAll(before);
    const chunks: Uint8Array[] = [];
    const during = records(20_000);
    let next = 0;
    for (const chunk of index.snapshot({ chunkBytes: 16 * 1024 })) {
      chunks.push(chunk);
      index.addAll(during.slice(next, next + 500));
      next += 500;
    }
    const restored = await OptOutIndex.fromSnapshot(chunks);
    for (const record of before) expect(restored.isOptedOut(record.firstLevelHash)).toBe(true);
    restored.addAll(during);
    expectSameAnswers(index, restored, [...before, ...during]);
  });

  it('refuses damaged, truncated, over-long and foreign bytes with ERR_OPTOUT_BAD_SNAPSHOT', async () => {
    const index = new OptOutIndex();
    index.addAll(records(3_000));
    const bytes = concat(index.snapshot());
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)]! ^= 0x01;
    const badVersion = Buffer.from(bytes);
    badVersion[5] = 2;
    // A segment claiming one more entry than it holds, with a valid checksum.
    const wrongCount = Buffer.from(bytes);
    wrongCount.writeUInt32BE(wrongCount.readUInt32BE(17) + 1, 17);
    const hugeStep = Buffer.from(bytes);
    hugeStep[16] = 200;
    const cases: [string, Iterable<Uint8Array> | AsyncIterable<Uint8Array>][] = [
      ['flipped bit', [flipped]],
      ['truncated', [bytes.subarray(0, bytes.length - 1)]],
      ['header only', [bytes.subarray(0, 16)]],
      ['empty', []],
      ['extra byte', [bytes, Buffer.from([0])]],
      ['format 2', [resealed(badVersion)]],
      ['wrong count', [resealed(wrongCount)]],
      ['huge step', [resealed(hugeStep)]],
      ['random', [randomBytes(bytes.length)]],
      ['not bytes', [bytes.subarray(0, 100), 'more' as unknown as Uint8Array]],
    ];
    for (const [name, chunks] of cases) {
      expect({ name, code: await loadCode(chunks) }).toEqual({ name, code: 'ERR_OPTOUT_BAD_SNAPSHOT' });
    }
  });

  it('abandons the source when the bytes are bad, and passes on its errors', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield await Promise.resolve(randomBytes(64));
        yield randomBytes(64);
      } finally {
        closed = true;
      }
    }
    expect(await loadCode(source())).toBe('ERR_OPTOUT_BAD_SNAPSHOT');
    expect(closed).toBe(true);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield await Promise.resolve(new Uint8Array(0));
      throw new Error('connection lost');
    }
    await expect(OptOutIndex.fromSnapshot(failing())).rejects.toThrow('connection lost');
  });
});
