import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { clientFromFlags, dataDirOf, resolveCredentials } from './client-config.js';

let dir: string;
const SECRET = Buffer.alloc(32, 1).toString('base64');

function io(env: Record<string, string> = {}): CliIo {
  return {
    stdin: Readable.from([]),
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    cwd: dir,
    now: () => 0,
    random: (n) => Buffer.alloc(n),
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'uid2-cli-config-'));
  await writeFile(
    join(dir, 'creds.json'),
    JSON.stringify({ baseUrl: 'http://file', apiKey: 'file-key', secret: SECRET }),
  );
  await writeFile(join(dir, 'bad.json'), 'not json');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('operator credentials', () => {
  it('takes flags first, then the environment, then the credentials file', async () => {
    expect(await resolveCredentials(io(), { credentials: 'creds.json' })).toEqual({
      baseUrl: 'http://file',
      apiKey: 'file-key',
      secret: SECRET,
    });
    expect(
      await resolveCredentials(io({ UID2_API_KEY: 'env-key' }), {
        credentials: 'creds.json',
        url: 'http://flag',
      }),
    ).toEqual({
      baseUrl: 'http://flag',
      apiKey: 'env-key',
      secret: SECRET,
    });
    expect(await resolveCredentials(io(), { url: 'u', key: 'k', secret: 's' })).toEqual({
      baseUrl: 'u',
      apiKey: 'k',
      secret: 's',
    });
  });

  it('reads the dev credentials of the data directory by default', async () => {
    await writeFile(
      join(dir, 'dev-credentials.json'),
      JSON.stringify({ baseUrl: 'http://dev', apiKey: 'k', secret: SECRET }),
    );
    expect((await resolveCredentials(io({ UID2_DATA_DIR: dir }), {})).baseUrl).toBe('http://dev');
    expect(dataDirOf(io())).toBe(join(dir, '.data'));
    expect(dataDirOf(io(), '/abs')).toBe('/abs');
  });

  it('explains a missing, unreadable or malformed credentials file', async () => {
    await expect(resolveCredentials(io({ UID2_DATA_DIR: join(dir, 'none') }), {})).rejects.toThrow(
      /no operator credentials/,
    );
    await expect(resolveCredentials(io(), { credentials: 'missing.json' })).rejects.toThrow(
      /cannot read the credentials file/,
    );
    await expect(resolveCredentials(io(), { credentials: 'bad.json' })).rejects.toThrow(/is not JSON/);
  });

  it('refuses a malformed secret or timeout without echoing them', async () => {
    await expect(clientFromFlags(io(), { url: 'u', key: 'k', secret: 'c2VjcmV0' })).rejects.toThrow(
      'the client secret must be base64 of 32 bytes',
    );
    await expect(
      clientFromFlags(io(), { url: 'u', key: 'k', secret: SECRET, timeout: '-1' }),
    ).rejects.toThrow(/--timeout/);
    await expect(
      clientFromFlags(io(), { url: 'u', key: 'k', secret: SECRET, timeout: '500' }),
    ).resolves.toBeDefined();
  });
});
