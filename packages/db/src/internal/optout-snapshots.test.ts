import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSnapshotParts } from './optout-snapshots.js';
import type { OptOutSnapshotInfo } from './optout-snapshots.js';
import type { StoreContext } from './store-context.js';

const SNAPSHOT: OptOutSnapshotInfo = { id: 1, throughSeq: 9, entries: 9, bytes: 30, parts: 3, createdMs: 0 };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A context whose part query answers after `delayMs(part)`; a part listed in `missing` has no row. */
function fakeContext(delayMs: (part: number) => number, missing: ReadonlySet<number>): StoreContext {
  const sql = {
    async query(_text: string, params: readonly unknown[]): Promise<{ data: string }[]> {
      const part = params[1] as number;
      await sleep(delayMs(part));
      return missing.has(part) ? [] : [{ data: Buffer.alloc(10, part).toString('base64') }];
    },
  };
  return { sql, assertOpen: () => undefined } as unknown as StoreContext;
}

describe('readSnapshotParts', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown): void => void unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    process.off('unhandledRejection', record);
  });

  it('reports a part that fails before the one awaited only through the reader', async () => {
    // Part 1 (read ahead) fails at once; part 0 fails 30 ms later: the reader sees part 0's error.
    const ctx = fakeContext((part) => (part === 0 ? 30 : 0), new Set([0, 1]));
    const parts: Uint8Array[] = [];
    await expect(
      (async () => {
        for await (const part of readSnapshotParts(ctx, SNAPSHOT)) parts.push(part);
      })(),
    ).rejects.toMatchObject({ code: 'ERR_DB_NOT_FOUND', message: expect.stringContaining('part 0') });
    await sleep(50);
    expect(parts).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('leaves no unhandled failure behind a reader that stops after the first part', async () => {
    const ctx = fakeContext((part) => (part === 0 ? 0 : 20), new Set([1]));
    const reader = readSnapshotParts(ctx, SNAPSHOT);
    const first = await reader.next();
    expect(Buffer.from(first.value as Uint8Array)).toEqual(Buffer.alloc(10, 0));
    await sleep(50); // part 1, requested ahead, has failed meanwhile; nobody asks for it
    expect(unhandled).toEqual([]);
  });

  it('yields every part in order when they arrive out of order', async () => {
    const ctx = fakeContext((part) => (part === 0 ? 20 : 0), new Set());
    const parts: Uint8Array[] = [];
    for await (const part of readSnapshotParts(ctx, SNAPSHOT)) parts.push(part);
    expect(parts.map((part) => part[0])).toEqual([0, 1, 2]);
    expect(unhandled).toEqual([]);
  });
});
