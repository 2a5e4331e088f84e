import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatProfileSummary, summarizeCpuProfile } from './cpu-profile.js';
import type { Report } from './report.js';
import { windowsOf } from './trial-windows.js';

/** `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile` as written by `node --cpu-prof`. */
const PROFILE_NAME = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/;

/**
 * Summarizes the operator profiles written since `sinceMs` (wall clock) in `dir`: for every goal,
 * only the samples inside that goal's implementation trials count. Prints a table per profile and
 * goal to stderr and emits a `cpu_profile` line (top 15 by self time, top 10 by inclusive time).
 */
export function reportProfiles(input: { dir: string; sinceMs: number; root: string; report: Report }): void {
  for (const file of readdirSync(input.dir)) {
    const match = PROFILE_NAME.exec(file);
    const path = join(input.dir, file);
    if (match === null || statSync(path).mtimeMs < input.sinceMs) continue;
    const pid = Number(match[1]);
    const thread = Number(match[2]);
    for (const [goal, windows] of windowsOf(pid)) {
      if (goal.includes(':')) continue;
      const summary = summarizeCpuProfile(path, input.root, 25, windows);
      if (summary.busy_ms < 200) continue;
      process.stderr.write(`${formatProfileSummary(`${goal} pid ${pid} thread ${thread}`, summary)}\n\n`);
      input.report.emit({
        bench: 'cpu_profile',
        goal,
        pid,
        thread,
        file: path,
        busy_ms: summary.busy_ms,
        idle_ms: summary.idle_ms,
        top_self: summary.top_self.slice(0, 15),
        top_total: summary.top_total.slice(0, 10),
      });
    }
  }
}
