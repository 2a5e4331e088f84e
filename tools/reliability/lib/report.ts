/** Outcome of one scenario: `pending` when a prerequisite (e.g. a route or CLI command) does not exist yet. */
export type Verdict = 'pass' | 'fail' | 'pending' | 'error';

/** A figure printed in the summary and written to the results file. */
export type Figure = number | string | boolean | null;

/** One line of `reliability-results.jsonl`. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly verdict: Verdict;
  readonly durationMs: number;
  readonly figures: Readonly<Record<string, Figure>>;
  /** One line per failed check. */
  readonly failures: readonly string[];
  /** Observations that are not failures (e.g. behaviour worth a look, pending sub-checks). */
  readonly notes: readonly string[];
  /** Failing requests and responses (secrets redacted), capped. */
  readonly examples: readonly unknown[];
}

/**
 * Collects the figures, failed checks, notes and examples of one scenario while it runs.
 * A scenario passes when no check failed and nothing marked it pending.
 */
export class ScenarioReport {
  readonly figures: Record<string, Figure> = {};
  readonly failures: string[] = [];
  readonly notes: string[] = [];
  readonly examples: unknown[] = [];
  private pendingReason: string | undefined;
  private readonly startedMs = Date.now();

  /** @param maxExamples examples kept for the results file (default 40) */
  constructor(
    readonly scenario: string,
    private readonly maxExamples = 40,
  ) {}

  /** Records a figure (overwrites a previous value of the same name). */
  set(name: string, value: Figure): void {
    this.figures[name] = value;
  }

  /** Adds `by` to a numeric figure. */
  add(name: string, by = 1): void {
    const current = this.figures[name];
    this.figures[name] = (typeof current === 'number' ? current : 0) + by;
  }

  /** Records a failed check, with an optional example (request/response) for the report. */
  fail(message: string, example?: unknown): void {
    this.failures.push(message);
    if (example !== undefined) this.example(example);
  }

  /** Keeps an example for the results file (capped per scenario). */
  example(example: unknown): void {
    if (this.examples.length < this.maxExamples) this.examples.push(example);
  }

  /** Fails with `message` unless `condition` holds; returns the condition. */
  check(condition: boolean, message: string): boolean {
    if (!condition) this.fail(message);
    return condition;
  }

  note(message: string): void {
    this.notes.push(message);
  }

  /** Marks the scenario (or the rest of it) as not runnable yet. */
  pending(reason: string): void {
    this.pendingReason = reason;
    this.notes.push(`pending: ${reason}`);
  }

  /** The final result; `error` when the scenario threw. */
  finish(error?: unknown): ScenarioResult {
    const failures = [...this.failures];
    if (error !== undefined) failures.push(`scenario aborted: ${describe(error)}`);
    const verdict: Verdict =
      error !== undefined
        ? 'error'
        : failures.length > 0
          ? 'fail'
          : this.pendingReason !== undefined
            ? 'pending'
            : 'pass';
    return {
      scenario: this.scenario,
      verdict,
      durationMs: Date.now() - this.startedMs,
      figures: { ...this.figures },
      failures,
      notes: [...this.notes],
      examples: [...this.examples],
    };
  }
}

/** A short, single-line description of an error (name, code, message). */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message.split('\n')[0] ?? ''}`;
  }
  return String(error);
}

/** Formats results as the summary table printed at the end of the run. */
export function summaryTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => [
    r.scenario,
    r.verdict.toUpperCase(),
    `${(r.durationMs / 1000).toFixed(0)} s`,
    compactFigures(r),
  ]);
  const header = ['scenario', 'result', 'time', 'figures'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  widths[3] = Math.min(widths[3] ?? 0, 160);
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-')];
  for (const row of rows) {
    const [name = '', verdict = '', time = '', figures = ''] = row;
    const wrapped = wrap(figures, widths[3] ?? 160);
    out.push(line([name, verdict, time, wrapped[0] ?? '']));
    for (const more of wrapped.slice(1)) out.push(line(['', '', '', more]));
  }
  return out.join('\n');
}

function compactFigures(result: ScenarioResult): string {
  return Object.entries(result.figures)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v)}`)
    .join(', ');
}

function wrap(text: string, width: number): string[] {
  const parts = text.split(', ');
  const lines: string[] = [];
  let current = '';
  for (const part of parts) {
    const next = current === '' ? part : `${current}, ${part}`;
    if (next.length > width && current !== '') {
      lines.push(`${current},`);
      current = part;
    } else current = next;
  }
  if (current !== '') lines.push(current);
  return lines;
}
