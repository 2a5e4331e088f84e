import { describe, expect, it } from 'vitest';
import { RandomPool } from './random-pool.js';

describe('RandomPool', () => {
  it('never hands out the same bytes twice, across refills', () => {
    const pool = new RandomPool(64);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const iv = pool.take(12);
      expect(iv).toHaveLength(12);
      seen.add(iv.toString('hex'));
    }
    expect(seen.size).toBe(100);
  });

  it('keeps earlier slices unchanged after the pool is refilled', () => {
    const pool = new RandomPool(32);
    const first = pool.take(16);
    const copy = Buffer.from(first);
    pool.take(16);
    pool.take(16); // forces a refill
    expect(first.equals(copy)).toBe(true);
  });

  it('serves requests larger than the pool directly', () => {
    expect(new RandomPool(16).take(40)).toHaveLength(40);
  });
});
