import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';

/** A writable text stream (process.stdout, a file, or a test buffer). */
export type TextOutput = Pick<Writable, 'write' | 'once' | 'end'> & { readonly isTTY?: boolean | undefined };

/**
 * Everything a command touches outside its arguments: output streams, environment, working
 * directory, clock and randomness. `main.ts` passes the real process; tests pass doubles.
 */
export interface CliIo {
  /** Input for file arguments given as `-`. */
  readonly stdin: AsyncIterable<Buffer | string>;
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths (files, `.data`) resolve against. */
  readonly cwd: string;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly random: (size: number) => Buffer;
}

/**
 * The real process as a {@link CliIo}. Under `npm run uid2 --workspace …` npm moves into
 * `apps/cli`; relative paths then resolve against the directory npm was started from (INIT_CWD).
 */
export function processIo(): CliIo {
  const viaNpmScript = process.env['npm_lifecycle_event'] === 'uid2' && process.env['INIT_CWD'] !== undefined;
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: viaNpmScript ? (process.env['INIT_CWD'] as string) : process.cwd(),
    now: () => Date.now(),
    random: (size) => randomBytes(size),
  };
}

/** Writes text and waits for `drain` when the stream asks for it (large CSV output). */
export async function writeText(out: TextOutput, text: string): Promise<void> {
  if (out.write(text)) return;
  await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}
