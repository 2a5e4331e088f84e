import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  effectiveRefreshFromMs,
  isWithinPreviousUidWindow,
  startOfNextUtcDay,
} from './refresh-from.js';

describe('startOfNextUtcDay', () => {
  it('goes to the following midnight, also from exactly midnight and before 1970', () => {
    expect(startOfNextUtcDay(1_815_000_000_000)).toBe(1_815_004_800_000);
    expect(startOfNextUtcDay(1_815_004_800_000)).toBe(1_815_004_800_000 + DAY_MS);
    expect(startOfNextUtcDay(-1)).toBe(0);
  });
});

describe('effectiveRefreshFromMs', () => {
  it('keeps a refresh time equal to now', () => {
    expect(effectiveRefreshFromMs(5, 5)).toBe(5);
    expect(effectiveRefreshFromMs(4, 5)).toBe(DAY_MS);
  });
});

describe('isWithinPreviousUidWindow', () => {
  it('counts whole days with truncation toward zero', () => {
    expect(isWithinPreviousUidWindow(0, 90 * DAY_MS - 1)).toBe(true);
    expect(isWithinPreviousUidWindow(0, 90 * DAY_MS)).toBe(false);
    expect(isWithinPreviousUidWindow(1000 * DAY_MS, 0)).toBe(true);
  });
});
