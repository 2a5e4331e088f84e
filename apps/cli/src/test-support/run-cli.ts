import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../lib/cli-io.js';
import { runCli } from '../program.js';

/** What one in-process run of `uid2` printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Options of {@link runUid2}. */
export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly now?: () => number;
  /** Text on stdin (default: none). */
  readonly stdin?: string;
}

/** Runs `uid2 <args>` in this process with captured output (never a TTY, so no progress bars). */
export async function runUid2(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const out = collector();
  const err = collector();
  const io: CliIo = {
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    stdout: out.stream,
    stderr: err.stream,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    now: options.now ?? (() => Date.now()),
    random: (size) => randomBytes(size),
  };
  const code = await runCli(args, io);
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Runs and parses stdout as JSON; fails loudly (with stderr) when the command failed. */
export async function runJson<T>(args: readonly string[], options: RunOptions = {}): Promise<T> {
  const result = await runUid2([...args, '--json'], options);
  if (result.code !== 0) throw new Error(`uid2 ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
