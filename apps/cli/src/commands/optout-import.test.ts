import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../lib/database.js';
import { type AdminEngine, adminEngineNames, createAdminEngine } from '../test-support/admin-engines.js';
import { runJson, runUid2 } from '../test-support/run-cli.js';

// `optout import` is resumable: a run killed in the middle and started again ends with every row
// stored exactly once, and the second run skips the committed batches.

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const ROWS = 20_000;

interface Summary {
  read: number;
  inserted: number;
  alreadyPresent: number;
  invalid: number;
  resumedRows: number;
}

async function countOptOuts(engine: AdminEngine): Promise<number> {
  const io = {
    env: engine.env,
    cwd: engine.dir,
    now: () => Date.now(),
    random: (n: number) => randomBytes(n),
    stdin: Readable.from([]),
    stdout: process.stdout,
    stderr: process.stderr,
  };
  return withDatabase(io, {}, (db) => db.optouts.count());
}

async function checkpointRead(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const name = names.find((n) => n.startsWith('optout-import-') && n.endsWith('.json'));
  if (name === undefined) return 0;
  const saved = JSON.parse(await readFile(join(dir, name), 'utf8').catch(() => '{}')) as {
    counts?: { read?: number };
  };
  return saved.counts?.read ?? 0;
}

describe.each(adminEngineNames())('optout import on %s', (engineName) => {
  let engine: AdminEngine;
  let file: string;

  beforeAll(async () => {
    engine = await createAdminEngine(engineName);
    expect((await runUid2(['db', 'migrate'], { env: engine.env })).code).toBe(0);
    expect((await runUid2(['salts', 'init', '--buckets', '16'], { env: engine.env })).code).toBe(0);
    const rows = ['identifier'];
    for (let i = 0; i < ROWS; i++)
      rows.push(i % 5 === 0 ? `+1${3_000_000_000 + i}` : `person${i}@example.com`);
    rows.push('not an identifier', 'person1@example.com');
    file = join(engine.dir, 'optouts.csv');
    await writeFile(file, `${rows.join('\n')}\n`);
  }, 120_000);

  afterAll(async () => {
    await engine?.dispose();
  });

  it('holds every row exactly once after a run is killed mid-way and started again', async () => {
    const checkpoints = join(engine.dir, 'checkpoints');
    const child = spawn(
      process.execPath,
      [
        '--conditions=@uid2-operator/source',
        '--import',
        import.meta.resolve('tsx'),
        MAIN,
        'optout',
        'import',
        file,
        '--batch-size',
        '500',
      ],
      { cwd: engine.dir, env: { ...process.env, DATABASE_URL: '', ...engine.env }, stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? code)),
    );
    let committed = 0;
    while (committed < 2_000) {
      if (child.exitCode !== null)
        throw new Error(`the import finished (${child.exitCode}) before it could be killed`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      committed = await checkpointRead(checkpoints);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const stored = await countOptOuts(engine);
    expect(stored).toBeGreaterThanOrEqual(committed - 100);
    expect(stored).toBeLessThan(ROWS);

    const resumed = await runJson<Summary>(['optout', 'import', file, '--batch-size', '500'], {
      env: engine.env,
      cwd: engine.dir,
    });
    expect(resumed.resumedRows).toBeGreaterThanOrEqual(committed);
    expect(resumed.read).toBe(ROWS + 2);
    expect(resumed.invalid).toBe(1);
    expect(resumed.inserted + resumed.alreadyPresent).toBe(ROWS + 1);
    expect(await countOptOuts(engine)).toBe(ROWS);
    expect(await checkpointRead(checkpoints)).toBe(0);

    const again = await runJson<Summary>(['optout', 'import', file], { env: engine.env, cwd: engine.dir });
    expect(again).toMatchObject({
      read: ROWS + 2,
      inserted: 0,
      alreadyPresent: ROWS + 1,
      invalid: 1,
      resumedRows: 0,
    });
    expect(await countOptOuts(engine)).toBe(ROWS);
  }, 180_000);

  it('imports typed rows from stdin without a checkpoint', async () => {
    const stdin =
      'type,identifier\nemail,fresh@example.com\nphone_hash,EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=\nfax,1\n';
    const summary = await runJson<Summary>(['optout', 'import', '-'], { env: engine.env, stdin });
    expect(summary).toMatchObject({ read: 3, inserted: 2, alreadyPresent: 0, invalid: 1, resumedRows: 0 });
  });
});
