import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { databaseIdentity, withDatabase } from './database.js';

function io(env: Record<string, string> = {}): CliIo {
  return {
    stdin: Readable.from([]),
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    cwd: '/work',
    now: () => 0,
    random: (n) => Buffer.alloc(n),
  };
}

describe('database location', () => {
  it('names the database without its password', () => {
    expect(databaseIdentity(io(), { databaseUrl: 'postgresql://u:secret@db:5432/uid2' })).toBe(
      'postgresql://u@db:5432/uid2',
    );
    expect(databaseIdentity(io({ DATABASE_URL: 'postgres://h/x' }), {})).toBe('postgres://h/x');
    expect(databaseIdentity(io({ UID2_DATA_DIR: '/d' }), {})).toBe('pglite:/d/pglite');
    expect(databaseIdentity(io(), { databaseUrl: '::' })).toBe('postgres:invalid-url');
  });

  it('needs UID2_KEK with a database URL', async () => {
    await expect(
      withDatabase(io(), { databaseUrl: 'postgresql://127.0.0.1:1/x' }, () => Promise.resolve(1)),
    ).rejects.toThrow(/UID2_KEK is required/);
  });
});
