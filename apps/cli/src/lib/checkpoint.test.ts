import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ImportCheckpoint,
  checkpointPath,
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
} from './checkpoint.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('import checkpoints', () => {
  it('names the file by a hash of input and database, never by the database URL', () => {
    const a = checkpointPath('/c', 'optout-import', '/in.csv', 'postgresql://u@db/x');
    expect(a).toMatch(/^\/c\/optout-import-[0-9a-f]{24}\.json$/);
    expect(checkpointPath('/c', 'optout-import', '/in.csv', 'pglite:/d')).not.toBe(a);
  });

  it('resumes only for the same file version and settings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'uid2-cli-checkpoint-'));
    dirs.push(dir);
    const path = join(dir, 'sub', 'cp.json');
    const file = { path: '/in.csv', size: 10, mtimeMs: 5 };
    const checkpoint: ImportCheckpoint = {
      file,
      settings: { scope: 'UID2' },
      offset: 4,
      line: 2,
      layout: null,
      counts: { read: 1 },
    };
    expect(await readCheckpoint(path, file, { scope: 'UID2' })).toBeUndefined();
    await writeCheckpoint(path, checkpoint);
    expect(await readdir(join(dir, 'sub'))).toEqual(['cp.json']);
    expect(await readCheckpoint(path, file, { scope: 'UID2' })).toEqual(checkpoint);
    expect(await readCheckpoint(path, { ...file, size: 11 }, { scope: 'UID2' })).toBeUndefined();
    expect(await readCheckpoint(path, file, { scope: 'EUID' })).toBeUndefined();
    await removeCheckpoint(path);
    expect(await readCheckpoint(path, file, { scope: 'UID2' })).toBeUndefined();
  });
});
