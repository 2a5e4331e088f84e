import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/** An input file opened for streaming (or stdin for `-`). */
export interface InputFile {
  readonly path: string;
  /** Bytes, or 0 for stdin. */
  readonly size: number;
  /** Modification time in ms (0 for stdin): with `size`, identifies the file version for checkpoints. */
  readonly mtimeMs: number;
  /** Reads from `start` (a byte offset) to the end. */
  chunks(start?: number): AsyncIterable<Buffer | string>;
}

/**
 * Opens `name` relative to the working directory; `-` is stdin.
 * @throws CliError when the file does not exist or is not a regular file
 */
export async function openInput(io: CliIo, name: string): Promise<InputFile> {
  if (name === '-') {
    return { path: '-', size: 0, mtimeMs: 0, chunks: () => io.stdin };
  }
  const path = resolve(io.cwd, name);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new CliError(`cannot read ${name}: no such file`);
  if (!info.isFile()) throw new CliError(`cannot read ${name}: not a regular file`);
  return {
    path,
    size: info.size,
    mtimeMs: Math.trunc(info.mtimeMs),
    chunks: (start = 0) => createReadStream(path, { start, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>,
  };
}
