import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OptOutError, OptOutIndex, SharedOptOutHashReader } from './index.js';
import type { OptOutRecord, SharedSegmentUpdate } from './index.js';

const T0 = 1_700_000_000;

function record(flh: Uint8Array): OptOutRecord {
  return {
    firstLevelHash: flh,
    advertisingId: randomBytes(33),
    scope: 'UID2',
    type: 'email',
    optedOutAtSeconds: T0,
  };
}

function keys(count: number): Buffer[] {
  return Array.from({ length: count }, () => randomBytes(32));
}

describe('SharedOptOutHashReader', () => {
  it('answers exactly like the shared index for added and absent first-level hashes', () => {
    const index = new OptOutIndex({ shared: true });
    const added = keys(20_000);
    index.addAll(added.map(record));
    const handles = index.shareFirstLevelHashes();
    expect(handles.versions.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(handles.segments.some((slots) => slots.buffer instanceof SharedArrayBuffer)).toBe(true);
    const reader = new SharedOptOutHashReader(structuredClone(handles));
    for (const flh of added) expect(reader.isOptedOut(flh)).toBe(true);
    for (const flh of keys(20_000)) expect(reader.isOptedOut(flh)).toBe(index.isOptedOut(flh));
    const batch = Buffer.concat([randomBytes(32), added[7]!]);
    expect(reader.isOptedOutAt(batch, 0)).toBe(false);
    expect(reader.isOptedOutAt(batch, 32)).toBe(true);
  });

  it('sees records added later in place at once, and those in grown segments once updated', () => {
    const index = new OptOutIndex({ shared: true });
    index.addAll(keys(5_000).map(record));
    const updates: SharedSegmentUpdate[] = [];
    index.onSegmentReplaced((update) => updates.push(update));
    const reader = new SharedOptOutHashReader(structuredClone(index.shareFirstLevelHashes()));
    const later = keys(20_000);
    index.addAll(later.map(record));
    expect(updates.length).toBeGreaterThan(0);
    const grown = new Set(updates.map((update) => update.segment));
    // Records in segments that did not grow are visible through the shared memory already.
    const inPlace = later.filter((flh) => !grown.has((flh[16]! << 3) | (flh[17]! >>> 5)));
    expect(inPlace.length).toBeGreaterThan(0);
    for (const flh of inPlace) expect(reader.isOptedOut(flh)).toBe(true);
    for (const update of structuredClone(updates)) reader.replaceSegment(update);
    for (const flh of later) expect(reader.isOptedOut(flh)).toBe(true);
  });

  it('refuses handles that are not a shared index, bad segments and bad hashes', () => {
    expect(() => new OptOutIndex().shareFirstLevelHashes()).toThrow(TypeError);
    expect(() => new SharedOptOutHashReader({ versions: new Int32Array(3), segments: [] })).toThrow(
      TypeError,
    );
    const reader = new SharedOptOutHashReader(new OptOutIndex({ shared: true }).shareFirstLevelHashes());
    expect(() => reader.replaceSegment({ segment: 2048, slots: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => reader.isOptedOut(new Uint8Array(31))).toThrow(OptOutError);
    expect(() => reader.isOptedOutAt(new Uint8Array(40), 9)).toThrow(OptOutError);
    expect(reader.isOptedOut(new Uint8Array(32))).toBe(false);
  });

  it('keeps a plain index unshared and its answers unchanged', () => {
    const plain = new OptOutIndex();
    const shared = new OptOutIndex({ shared: true });
    const added = keys(3_000);
    const records = added.map(record);
    plain.addAll(records);
    shared.addAll(records);
    expect(shared.size).toBe(plain.size);
    expect(shared.memoryBytes()).toBe(plain.memoryBytes());
    for (const flh of [...added, ...keys(3_000)]) expect(shared.isOptedOut(flh)).toBe(plain.isOptedOut(flh));
  });
});
