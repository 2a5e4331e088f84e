import { describe, expect, it } from 'vitest';
import { InMemoryOptOutStore, OptOutError } from './index.js';
import { conformanceRecord, describeOptOutStoreConformance } from './testing/index.js';

describeOptOutStoreConformance('InMemoryOptOutStore', () =>
  Promise.resolve({ store: new InMemoryOptOutStore(), cleanup: () => Promise.resolve() }),
);

describeOptOutStoreConformance(
  'InMemoryOptOutStore with options',
  () => Promise.resolve({ store: new InMemoryOptOutStore(), cleanup: () => Promise.resolve() }),
  { timeoutMs: 5_000 },
);

describe('InMemoryOptOutStore', () => {
  it('rejects with OptOutError codes the operator can map', async () => {
    const store = new InMemoryOptOutStore();
    await expect(store.scan({ limit: 0 })).rejects.toMatchObject({ code: 'ERR_OPTOUT_BAD_LIMIT', detail: 0 });
    await expect(store.scan({ limit: '5' as never })).rejects.toMatchObject({
      code: 'ERR_OPTOUT_BAD_LIMIT',
      detail: undefined,
    });
    await expect(store.scan({ limit: 5, afterCursor: 'abc' })).rejects.toBeInstanceOf(OptOutError);
    await expect(store.scan({ limit: 5, afterCursor: 'abc' })).rejects.toMatchObject({
      code: 'ERR_OPTOUT_BAD_CURSOR',
    });
    await expect(store.has(Buffer.alloc(16), 'UID2')).rejects.toMatchObject({
      code: 'ERR_OPTOUT_BAD_HASH',
      detail: 16,
    });
    await expect(store.optedOutSince(Buffer.alloc(16))).rejects.toMatchObject({
      code: 'ERR_OPTOUT_BAD_ADVERTISING_ID',
    });
    await expect(store.add([{ ...conformanceRecord(1, 1, 5), optedOutAtSeconds: -5 }])).rejects.toMatchObject(
      {
        code: 'ERR_OPTOUT_BAD_TIMESTAMP',
        detail: -5,
      },
    );
  });

  it('uses the hex of the hash and the scope as its cursor', async () => {
    const store = new InMemoryOptOutStore();
    const record = conformanceRecord(0xab, 1, 5);
    await store.add([record, conformanceRecord(0xac, 2, 5)]);
    const page = await store.scan({ limit: 1 });
    expect(page.cursor).toBe(`${Buffer.from(record.firstLevelHash).toString('hex')}:UID2`);
  });

  it('accepts hash views into larger buffers', async () => {
    const store = new InMemoryOptOutStore();
    const backing = Buffer.alloc(64, 7);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 16, 32);
    await store.add([{ ...conformanceRecord(1, 1, 5), firstLevelHash: view }]);
    expect(await store.has(Buffer.alloc(32, 7), 'UID2')).toBe(true);
  });
});
