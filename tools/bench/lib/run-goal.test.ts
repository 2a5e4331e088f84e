import { describe, expect, it } from 'vitest';
import { summaryLine } from './run-goal.js';

describe('summaryLine', () => {
  const g1 = {
    bench: 'G1_x',
    goal: 'G1',
    ratio: 0.8,
    pass: true,
    target_met: false,
    noisy: false,
    impl: { units_per_s: 100 },
  };
  const g3 = { bench: 'G3_x', goal: 'G3', ratio: 0.5, pass: false, noisy: true, impl: { units_per_s: 450 } };

  it('passes only when every goal that ran met its must, and lists failed, skipped and noisy goals', () => {
    const skipped = { bench: 'G2_x', goal: 'G2', skipped: 'route missing' };
    const out = summaryLine([g1, skipped, g3], { loadStart: 1, seconds: 10 });
    expect(out.pass).toBe(false);
    expect(out.complete).toBe(false);
    expect(out.ratios).toEqual({ G1: 0.8, G3: 0.5 });
    expect(out.failed).toEqual(['G3']);
    expect(out.skipped).toEqual(['G2']);
    expect(out.noisy).toEqual(['G3']);
    expect(out.G3b_optout_over_map).toBe(4.5);
  });

  it('ignores cpu_profile lines and uses the retry of a goal', () => {
    const profile = { bench: 'cpu_profile', goal: 'G1', top_self: [] };
    const retry = { ...g3, ratio: 0.7, pass: true, retry: true };
    const out = summaryLine([g1, g3, retry, profile], { loadStart: 1, seconds: 10 });
    expect(out.pass).toBe(true);
    expect(out.ratios).toEqual({ G1: 0.8, G3: 0.7 });
  });
});
