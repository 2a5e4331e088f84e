/**
 * Time windows of the implementation trials, on the monotonic clock V8 profiles use
 * (`process.hrtime`, µs), so `--cpu-prof` summaries can be cut to the measured seconds only
 * (the operator's start-up — loading 1 M salt buckets and opt-outs — would dominate otherwise).
 */

/** One measured stretch of load against a server process. */
export interface TrialWindow {
  /** Goal id, e.g. `G2`. */
  readonly label: string;
  readonly pid: number;
  /** Monotonic µs. */
  readonly startUs: number;
  readonly endUs: number;
}

const windows: TrialWindow[] = [];
let currentLabel = '';

/** Monotonic clock in µs (CLOCK_MONOTONIC, like V8's profile timestamps). */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Names the goal whose trials are recorded from now on. */
export function setWindowLabel(label: string): void {
  currentLabel = label;
}

/** What a trial measured: the implementation, the floor, or load in the background of another trial. */
export type TrialRole = 'impl' | 'floor' | 'background';

/** Records one trial against `pid`; other than `impl` trials are labelled `<goal>:<role>`. */
export function recordWindow(pid: number, startUs: number, endUs: number, role: TrialRole): void {
  if (currentLabel === '') return;
  windows.push({ label: role === 'impl' ? currentLabel : `${currentLabel}:${role}`, pid, startUs, endUs });
}

/** Recorded windows of `pid`, grouped by goal. */
export function windowsOf(pid: number): Map<string, [number, number][]> {
  const byLabel = new Map<string, [number, number][]>();
  for (const w of windows) {
    if (w.pid !== pid) continue;
    const list = byLabel.get(w.label) ?? [];
    list.push([w.startUs, w.endUs]);
    byLabel.set(w.label, list);
  }
  return byLabel;
}
