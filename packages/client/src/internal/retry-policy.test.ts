import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs, unitInterval } from './retry-policy.js';

const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('retry policy', () => {
  it('retries 429 and every 5xx but no other status', () => {
    expect([429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 405, 413, 600].some(isRetryableStatus)).toBe(false);
  });

  it('doubles the delay per retry with half of it jittered', () => {
    expect(backoffDelayMs(policy, 0, 0)).toBe(50);
    expect(backoffDelayMs(policy, 0, 0.999999)).toBe(100);
    expect(backoffDelayMs(policy, 2, 0)).toBe(200);
    expect(backoffDelayMs(policy, 2, 0.5)).toBe(300);
  });

  it('never waits longer than the maximum delay', () => {
    expect(backoffDelayMs(policy, 10, 0.99)).toBeLessThanOrEqual(1_000);
    expect(backoffDelayMs(policy, 0, 0, 60_000)).toBe(1_000);
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(backoffDelayMs(policy, 0, 0, 700)).toBe(700);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfterMs(null, 0)).toBeUndefined();
    expect(parseRetryAfterMs(' 2 ', 0)).toBe(2_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3_000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
  });

  it('maps four random bytes into [0, 1)', () => {
    expect(unitInterval(Uint8Array.of(0, 0, 0, 0))).toBe(0);
    expect(unitInterval(Uint8Array.of(0x80, 0, 0, 0))).toBe(0.5);
    expect(unitInterval(Uint8Array.of(255, 255, 255, 255))).toBeLessThan(1);
  });
});
