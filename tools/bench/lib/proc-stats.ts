import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let clockTicks: number | undefined;

/** `sysconf(_SC_CLK_TCK)`: the unit of utime/stime in /proc/<pid>/stat (almost always 100). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Child pids of `pid` (every thread's `children` file), recursively: cluster workers, if any. */
function descendants(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const tid of tasks) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of text.split(' ')) {
      const childPid = Number(child);
      if (childPid > 0) found.push(childPid, ...descendants(childPid));
    }
  }
  return found;
}

function ownCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces; the fields after the last ')' start with field 3 (state).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / ticksPerSecond();
  } catch {
    return 0;
  }
}

/**
 * CPU time (user + system, seconds, all threads) of a process and its descendants, from
 * /proc/<pid>/stat. Resolution is one clock tick (10 ms).
 */
export function processCpuSeconds(pid: number): number {
  let total = ownCpuSeconds(pid);
  for (const child of descendants(pid)) total += ownCpuSeconds(child);
  return total;
}

/** Memory and threads of a process tree from /proc/<pid>/status, in bytes. */
export interface ProcessMemory {
  /** Resident set size now (sum over the tree), bytes. */
  readonly rssBytes: number;
  /** Peak resident set size (VmHWM, sum over the tree), bytes. */
  readonly peakRssBytes: number;
  /** Threads of the main process. */
  readonly threads: number;
}

function statusField(text: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
  return match === null ? 0 : Number(match[1]);
}

/** Reads VmRSS / VmHWM (kB in /proc, returned as bytes) and Threads of `pid` and its descendants. */
export function processMemory(pid: number): ProcessMemory {
  let rssBytes = 0;
  let peakRssBytes = 0;
  let threads = 0;
  for (const p of [pid, ...descendants(pid)]) {
    let text: string;
    try {
      text = readFileSync(`/proc/${p}/status`, 'utf8');
    } catch {
      continue;
    }
    rssBytes += statusField(text, 'VmRSS') * 1024;
    peakRssBytes += statusField(text, 'VmHWM') * 1024;
    if (p === pid) threads = statusField(text, 'Threads');
  }
  return { rssBytes, peakRssBytes, threads };
}

/** The 1-minute load average from /proc/loadavg. */
export function loadAverage1(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return -1;
  }
}
