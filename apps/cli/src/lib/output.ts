import { type CliIo, writeText } from './cli-io.js';

/** One table column: its header and how to render a row's cell. */
export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string | number | boolean | null | undefined;
}

/** Renders rows as a left-aligned text table with a header line (human output). */
export function formatTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => (line[i] ?? '').length)),
  );
  const render = (line: readonly string[]): string =>
    line
      .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [render(columns.map((column) => column.header)), ...cells.map(render)];
  return `${lines.join('\n')}\n`;
}

function cellText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value);
}

/** Renders `key: value` lines for a single record (human output). */
export function formatRecord(
  entries: readonly (readonly [string, string | number | boolean | null | undefined])[],
): string {
  const width = Math.max(...entries.map(([key]) => key.length));
  return entries.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${cellText(value)}`).join('\n') + '\n';
}

/** Output mode shared by every command: a human table/record by default, JSON with `--json`. */
export interface OutputOptions {
  readonly json?: boolean | undefined;
}

/** Prints `value` as pretty JSON (with `--json`) or the human text `human()` renders. */
export async function emit(
  io: CliIo,
  options: OutputOptions,
  value: unknown,
  human: () => string,
): Promise<void> {
  await writeText(io.stdout, options.json === true ? `${JSON.stringify(value, null, 2)}\n` : human());
}

/** Formats epoch seconds as ISO-8601 UTC (human output). */
export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Formats epoch milliseconds as ISO-8601 UTC (human output). */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}
