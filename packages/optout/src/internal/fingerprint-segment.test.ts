import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintSegment, MAX_LOAD, SLOT_BYTES } from './fingerprint-segment.js';

/** A `hi` whose home slot is `home` in a 16-slot segment (home = floor(hi / 2^28)). */
const hiAt = (home: number, offset: number): number => home * 2 ** 28 + offset;

describe('FingerprintSegment', () => {
  it('allocates nothing until the first insert and answers -1 while empty', () => {
    const segment = new FingerprintSegment(0);
    expect(segment.capacity).toBe(0);
    expect(segment.slots.length).toBe(0);
    expect(segment.get(123, 4)).toBe(-1);
  });

  it('starts with 16 slots of 11 bytes and stores the smallest seconds per fingerprint', () => {
    const segment = new FingerprintSegment(0);
    expect(segment.upsertMin(hiAt(3, 1), 7, 500)).toBe(true);
    expect(segment.capacity).toBe(16);
    expect(segment.slots.length).toBe(16 * SLOT_BYTES);
    expect(segment.upsertMin(hiAt(3, 1), 7, 900)).toBe(false);
    expect(segment.get(hiAt(3, 1), 7)).toBe(500);
    expect(segment.upsertMin(hiAt(3, 1), 7, 100)).toBe(false);
    expect(segment.get(hiAt(3, 1), 7)).toBe(100);
    expect(segment.count).toBe(1);
  });

  it('tells fingerprints apart that share hi but differ in the low 24 bits', () => {
    const segment = new FingerprintSegment(0);
    segment.upsertMin(hiAt(5, 9), 0x000001, 1);
    segment.upsertMin(hiAt(5, 9), 0xffffff, 2);
    expect(segment.get(hiAt(5, 9), 0x000001)).toBe(1);
    expect(segment.get(hiAt(5, 9), 0xffffff)).toBe(2);
    expect(segment.get(hiAt(5, 9), 0x000002)).toBe(-1);
  });

  it('keeps uint32 seconds up to 2^32 - 1 exactly', () => {
    const segment = new FingerprintSegment(0);
    segment.upsertMin(0xffff_ffff, 0xffffff, 0xffff_ffff);
    segment.upsertMin(1, 0, 0);
    expect(segment.get(0xffff_ffff, 0xffffff)).toBe(0xffff_ffff);
    expect(segment.get(1, 0)).toBe(0);
  });

  it('wraps clusters past the last slot and shifts a wrapped cluster tail on insert', () => {
    const segment = new FingerprintSegment(0);
    segment.upsertMin(hiAt(14, 1), 1, 14);
    segment.upsertMin(hiAt(15, 1), 1, 15);
    segment.upsertMin(hiAt(15, 2), 1, 16);
    segment.upsertMin(hiAt(0, 1), 1, 0);
    // Home 14 again: goes between slot 14 and the home-15 entries, pushing the wrapped tail along.
    segment.upsertMin(hiAt(14, 2), 1, 17);
    expect(segment.capacity).toBe(16);
    for (const [hi, seconds] of [
      [hiAt(14, 1), 14],
      [hiAt(14, 2), 17],
      [hiAt(15, 1), 15],
      [hiAt(15, 2), 16],
      [hiAt(0, 1), 0],
    ] as const) {
      expect(segment.get(hi, 1)).toBe(seconds);
    }
    expect(segment.get(hiAt(0, 2), 1)).toBe(-1);
    expect(segment.get(hiAt(13, 2), 1)).toBe(-1);
  });

  it('doubles when the load passes 0.9 and keeps every entry', () => {
    const segment = new FingerprintSegment(0);
    const limit = Math.floor(16 * MAX_LOAD);
    for (let i = 0; i < limit; i++) segment.upsertMin(hiAt(i % 16, i + 1), i, i);
    expect(segment.capacity).toBe(16);
    segment.upsertMin(hiAt(0, 999), 0, 999);
    expect(segment.capacity).toBe(32);
    expect(segment.count).toBe(limit + 1);
    for (let i = 0; i < limit; i++) expect(segment.get(hiAt(i % 16, i + 1), i)).toBe(i);
    expect(segment.get(hiAt(0, 999), 0)).toBe(999);
  });

  it('staggers capacities by 2^stagger', () => {
    const segment = new FingerprintSegment(0.5);
    segment.upsertMin(1, 1, 1);
    expect(segment.capacity).toBe(Math.round(2 ** 4.5));
  });

  it('agrees with a map model under random inserts, including colliding hi values', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            hi: fc.oneof(
              fc.integer({ min: 1, max: 40 }).map((x) => x * 0x0600_0000),
              fc.integer({ min: 1, max: 0xffff_ffff }),
            ),
            low: fc.integer({ min: 0, max: 3 }),
            seconds: fc.integer({ min: 0, max: 0xffff_ffff }),
          }),
          { maxLength: 400 },
        ),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (ops, stagger) => {
          const segment = new FingerprintSegment(stagger);
          const model = new Map<string, number>();
          for (const { hi, low, seconds } of ops) {
            const key = `${hi}:${low}`;
            const known = model.get(key);
            expect(segment.upsertMin(hi, low, seconds)).toBe(known === undefined);
            model.set(key, Math.min(known ?? seconds, seconds));
          }
          expect(segment.count).toBe(model.size);
          for (const [key, seconds] of model) {
            const [hi, low] = key.split(':').map(Number) as [number, number];
            expect(segment.get(hi, low)).toBe(seconds);
          }
          expect(segment.get(0x0300_0000, 9)).toBe(-1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
