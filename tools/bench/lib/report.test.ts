import { describe, expect, it } from 'vitest';
import type { GoalDefinition, RoundOutcome } from './goals.js';
import { goalLine } from './report.js';
import type { TrialMetrics } from './trials.js';

const goal = (over: Partial<GoalDefinition> = {}): GoalDefinition => ({
  id: 'G1',
  bench: 'G1_test',
  floorName: 'floor',
  must: 0.75,
  target: 1.4,
  lowerIsBetter: false,
  scenarios: ['map'],
  round: () => Promise.reject(new Error('not used')),
  ...over,
});

const metrics = (units: number, extra: Partial<TrialMetrics> = {}): TrialMetrics => ({
  units_per_s: units,
  server_cpu_util: 1,
  units_per_server_cpu_s: units,
  ...extra,
});

const outcome = (floor: number, impl: number, extra: Partial<TrialMetrics> = {}): RoundOutcome => ({
  floor: metrics(floor),
  impl: metrics(impl, extra),
  ratio: impl / floor,
  ratioCpu: impl / floor,
});

const line = (g: GoalDefinition, outcomes: RoundOutcome[]) =>
  goalLine({ goal: g, outcomes, env: {}, trialSeconds: 5, implInfo: {} });

describe('goalLine', () => {
  it('passes on the median ratio of the rounds', () => {
    const out = line(goal(), [outcome(100, 70), outcome(100, 80), outcome(100, 90)]);
    expect(out.ratio).toBe(0.8);
    expect(out.ratio_runs).toEqual([0.7, 0.8, 0.9]);
    expect(out.pass).toBe(true);
    expect(out.target_met).toBe(false);
  });

  it('fails a goal whose implementation saw a non-2xx answer', () => {
    const out = line(goal(), [outcome(100, 200, { non2xx: 1 })]);
    expect(out.pass).toBe(false);
    expect(out.failures).toEqual(['1 errors / non-2xx / timeouts']);
  });

  it('fails a round in which one side completed nothing', () => {
    const out = line(goal(), [outcome(0, 100)]);
    expect(out.pass).toBe(false);
  });

  it('treats a latency multiple as lower-is-better and checks the p99 limit', () => {
    expect(line(goal({ must: 1.5, target: 1.2, lowerIsBetter: true }), [outcome(100, 130)]).pass).toBe(true);
    expect(line(goal({ must: 1.5, target: 1.2, lowerIsBetter: true }), [outcome(100, 160)]).pass).toBe(false);
    const g4 = goal({ must: 0.35, target: 0.5, p99MustMs: 20, p99TargetMs: 10 });
    expect(line(g4, [outcome(100, 60, { p99_ms: 25 })]).failures).toEqual(['p99 25 ms > 20 ms']);
  });

  it('flags a run as noisy when the floor moved by more than 25 %', () => {
    const out = line(goal(), [outcome(100, 80), outcome(130, 100), outcome(100, 80)]);
    expect(out.noisy).toBe(true);
  });
});
