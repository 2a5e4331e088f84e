import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateKekFile, parseKek } from './kek.js';

const KEK = Buffer.alloc(32, 3);

describe('parseKek', () => {
  it('decodes base64 of 32 bytes and ignores surrounding whitespace', () => {
    expect(parseKek(` ${KEK.toString('base64')}\n`)).toEqual(KEK);
  });

  it.each([
    ['empty text', ''],
    ['16 bytes', Buffer.alloc(16).toString('base64')],
    ['33 bytes', Buffer.alloc(33).toString('base64')],
    ['base64url', Buffer.alloc(32, 0xfb).toString('base64url')],
    ['missing padding', KEK.toString('base64').slice(0, 43)],
  ])('rejects %s, naming UID2_KEK but not the value', (_name, text) => {
    expect(() => parseKek(text)).toThrow(
      expect.objectContaining({ code: 'ERR_DB_KEK_INVALID', message: expect.stringContaining('UID2_KEK') }),
    );
    try {
      parseKek(text);
    } catch (error) {
      if (text !== '') expect((error as Error).message).not.toContain(text);
    }
  });

  it('names another setting when asked', () => {
    expect(() => parseKek('x', 'kek')).toThrow(/^kek must be/);
  });
});

describe('loadOrCreateKekFile', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'uid2-kek-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('creates a 32-byte key with mode 0600 in new directories, then returns the same key', async () => {
    const path = join(root, 'nested', 'dir', 'kek');
    const created = await loadOrCreateKekFile(path, { random: () => Buffer.from(KEK) });
    expect(created).toEqual(KEK);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toBe(`${KEK.toString('base64')}\n`);
    expect(await loadOrCreateKekFile(path, { random: () => Buffer.alloc(32, 9) })).toEqual(KEK);
  });

  it('gives every concurrent caller the same new key', async () => {
    const path = join(root, 'race');
    let n = 0;
    const keys = await Promise.all(
      Array.from({ length: 4 }, () => loadOrCreateKekFile(path, { random: () => Buffer.alloc(32, ++n) })),
    );
    for (const key of keys) expect(key).toEqual(keys[0]);
  });

  it('uses the system random source by default', async () => {
    const key = await loadOrCreateKekFile(join(root, 'default'));
    expect(key).toHaveLength(32);
  });

  it('refuses a malformed file, naming it', async () => {
    const path = join(root, 'bad');
    await writeFile(path, 'not a key\n');
    await expect(loadOrCreateKekFile(path)).rejects.toMatchObject({
      code: 'ERR_DB_KEK_INVALID',
      message: expect.stringContaining(path),
    });
  });

  it('reports a path it cannot read or create', async () => {
    const directory = join(root, 'a-directory');
    await mkdir(directory);
    await expect(loadOrCreateKekFile(directory)).rejects.toMatchObject({ code: 'ERR_DB_CONFIG' });
    await writeFile(join(root, 'file'), 'x');
    await expect(loadOrCreateKekFile(join(root, 'file', 'kek'))).rejects.toMatchObject({
      code: 'ERR_DB_CONFIG',
    });
  });

  it('treats a random source of the wrong size as a programming error', async () => {
    await expect(
      loadOrCreateKekFile(join(root, 'short'), { random: () => Buffer.alloc(5) }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});
