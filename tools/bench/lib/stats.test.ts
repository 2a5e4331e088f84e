import { describe, expect, it } from 'vitest';
import { median, quantileSorted, round, spread } from './stats.js';

describe('stats', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('picks nearest-rank quantiles from sorted values', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantileSorted(sorted, 0.5)).toBe(50);
    expect(quantileSorted(sorted, 0.99)).toBe(99);
    expect(quantileSorted([7], 0.99)).toBe(7);
  });

  it('measures spread as (max − min) ÷ median', () => {
    expect(spread([90, 100, 110])).toBeCloseTo(0.2);
    expect(spread([100])).toBe(0);
  });

  it('rounds to significant digits', () => {
    expect(round(123456, 3)).toBe(123000);
    expect(round(0.012345, 2)).toBe(0.012);
  });
});
