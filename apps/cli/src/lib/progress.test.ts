import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { startProgress } from './progress.js';

function ioWith(tty: boolean): { io: CliIo; written: () => string } {
  let text = '';
  const stderr = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY: tty, columns: 80, cursorTo: () => true, clearLine: () => true, moveCursor: () => true },
  );
  const io: CliIo = {
    stdin: Readable.from([]),
    stdout: stderr,
    stderr,
    env: {},
    cwd: '/',
    now: () => 0,
    random: (n) => Buffer.alloc(n),
  };
  return { io, written: () => text };
}

describe('progress bar', () => {
  it('draws on an interactive stderr', () => {
    const { io, written } = ioWith(true);
    const progress = startProgress(io, 100, 'importing');
    progress.update(50, { rows: 10 });
    progress.stop();
    expect(written()).toContain('importing [');
  });

  it('stays silent when stderr is not a terminal or the size is unknown', () => {
    const piped = ioWith(false);
    startProgress(piped.io, 100, 'mapping').update(1);
    const unknown = ioWith(true);
    startProgress(unknown.io, 0, 'mapping').stop();
    expect(piped.written()).toBe('');
    expect(unknown.written()).toBe('');
  });
});
