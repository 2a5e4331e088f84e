import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}

interface CpuProfile {
  /** Monotonic µs. */
  readonly startTime: number;
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** One function's share of a profile. */
export interface ProfileEntry {
  /** `name (file:line)`; the file relative to the repository or `node:` internals. */
  readonly fn: string;
  /** Time on top of the stack, ms, and its share of the non-idle time, %. */
  readonly self_ms: number;
  readonly self_pct: number;
  /** Time anywhere on the stack, ms, and %. */
  readonly total_ms: number;
  readonly total_pct: number;
}

/** Summary of a `.cpuprofile` (V8 format written by `node --cpu-prof`). */
export interface ProfileSummary {
  /** Sampled time excluding `(idle)`, ms. */
  readonly busy_ms: number;
  readonly idle_ms: number;
  readonly top_self: ProfileEntry[];
  readonly top_total: ProfileEntry[];
}

function label(node: ProfileNode, root: string): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName === '' ? '(anonymous)' : functionName;
  if (url === '') return name;
  const file = url
    .replace(`file://${root}/`, '')
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, '~/');
  return `${name} (${file}:${lineNumber + 1})`;
}

/**
 * Reads a `.cpuprofile` and returns the `top` functions by self time and by total (inclusive)
 * time, grouped by name and source position. `root` is stripped from file URLs. With `windows`
 * (monotonic µs, the clock of the profile's timestamps) only samples inside them count.
 */
export function summarizeCpuProfile(
  path: string,
  root: string,
  top = 20,
  windows?: readonly (readonly [number, number])[],
): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const keyOf = new Map<number, string>();
  for (const node of profile.nodes) keyOf.set(node.id, label(node, root));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    at += profile.timeDeltas[i] ?? 0;
    if (windows !== undefined && !windows.some(([from, to]) => at >= from && at <= to)) continue;
    const delta = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const key = keyOf.get(id) ?? '?';
    if (key === '(idle)') {
      idle += delta;
      continue;
    }
    busy += delta;
    self.set(key, (self.get(key) ?? 0) + delta);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const k = keyOf.get(node) ?? '?';
      if (seen.has(k) || k === '(root)') continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + delta);
    }
  }
  const rows = (map: Map<string, number>, other: Map<string, number>, selfFirst: boolean): ProfileEntry[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, ms]) => {
        const s = selfFirst ? ms : (other.get(fn) ?? 0);
        const t = selfFirst ? (other.get(fn) ?? 0) : ms;
        const pct = (v: number) => Math.round((v / busy) * 1000) / 10;
        return { fn, self_ms: Math.round(s), self_pct: pct(s), total_ms: Math.round(t), total_pct: pct(t) };
      });
  return {
    busy_ms: Math.round(busy),
    idle_ms: Math.round(idle),
    top_self: rows(self, total, true),
    top_total: rows(total, self, false),
  };
}

/** Human-readable table of a summary (for stderr). */
export function formatProfileSummary(title: string, summary: ProfileSummary): string {
  const lines = [
    `${title}: busy ${summary.busy_ms} ms, idle ${summary.idle_ms} ms`,
    '  self%  total%  function',
  ];
  for (const e of summary.top_self) {
    lines.push(`  ${e.self_pct.toFixed(1).padStart(5)}  ${e.total_pct.toFixed(1).padStart(6)}  ${e.fn}`);
  }
  lines.push('  -- by total (inclusive) time --');
  for (const e of summary.top_total) {
    lines.push(`  ${e.self_pct.toFixed(1).padStart(5)}  ${e.total_pct.toFixed(1).padStart(6)}  ${e.fn}`);
  }
  return lines.join('\n');
}
