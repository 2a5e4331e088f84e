import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openResponseEnvelope, sealRequestEnvelope } from '@uid2-operator/crypto-envelope';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig, type OperatorConfig } from './config.js';
import { createLogger } from './logger.js';
import { startOperator, type DevCredentials } from './server.js';
import { withFreshPostgres } from './test-support/postgres.js';

const run = promisify(execFile);
const logger = createLogger('silent');

async function generate(credentials: DevCredentials, email: string): Promise<{ status: string }> {
  const secret = Buffer.from(credentials.secret, 'base64');
  const nonce = randomBytes(8);
  const envelope = sealRequestEnvelope({
    secret,
    timestampMs: Date.now(),
    nonce,
    payload: { email },
    iv: randomBytes(12),
  });
  const response = await fetch(`${credentials.baseUrl}/v2/token/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${credentials.apiKey}` },
    body: envelope.toString('base64'),
  });
  expect(response.status).toBe(200);
  const opened = openResponseEnvelope({ secret, envelope: await response.text(), expectedNonce: nonce });
  return JSON.parse(opened.json.toString('utf8')) as { status: string };
}

function configFor(dataDir: string, overrides: Partial<OperatorConfig> = {}): OperatorConfig {
  return testConfig({ dataDir, port: 0, devSaltBuckets: 4096, refreshPollMs: 200, ...overrides });
}

describe('startOperator on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'uid2-operator-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('seeds on first start, writes the credentials file 0600, and serves a token', async () => {
    const running = await startOperator(configFor(dataDir), logger);
    try {
      const file = join(dataDir, 'dev-credentials.json');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dataDir, 'kek'))).mode & 0o777).toBe(0o600);
      const credentials = JSON.parse(await readFile(file, 'utf8')) as DevCredentials;
      expect(credentials.baseUrl).toBe(running.url);
      expect(credentials.publicKey.startsWith('UID2-X-')).toBe(true);
      expect(credentials.subscriptionId).toMatch(/^[A-Za-z0-9]{10}$/);
      const health = await fetch(`${running.url}/ops/healthcheck`);
      expect(await health.text()).toBe('OK');
      expect((await generate(credentials, 'user@example.com')).status).toBe('success');
    } finally {
      await running.close();
    }
  });

  it('reuses the data on restart without seeding again', async () => {
    const before = await readFile(join(dataDir, 'dev-credentials.json'), 'utf8');
    const running = await startOperator(configFor(dataDir), logger);
    try {
      const credentials = JSON.parse(
        await readFile(join(dataDir, 'dev-credentials.json'), 'utf8'),
      ) as DevCredentials;
      expect(credentials.apiKey).toBe((JSON.parse(before) as DevCredentials).apiKey);
      expect((await generate(credentials, 'user@example.com')).status).toBe('success');
    } finally {
      await running.close();
    }
  });

  it('refuses to start with another key-encryption key, naming UID2_KEK', async () => {
    const other = randomBytes(32).toString('base64');
    await expect(startOperator(configFor(dataDir, { kekBase64: other }), logger)).rejects.toThrow(/UID2_KEK/);
  });

  it('refuses to seed a new database when the database is gone but its credentials remain', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'uid2-lost-'));
    try {
      const credentials = await readFile(join(dataDir, 'dev-credentials.json'), 'utf8');
      await writeFile(join(copy, 'dev-credentials.json'), credentials, { mode: 0o600 });
      await writeFile(join(copy, 'kek'), await readFile(join(dataDir, 'kek')), { mode: 0o600 });
      await expect(startOperator(configFor(copy), logger)).rejects.toThrow(
        /refusing to create a new database/,
      );
      expect(await readFile(join(copy, 'dev-credentials.json'), 'utf8')).toBe(credentials);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('refuses a damaged credentials file instead of ignoring it', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'uid2-garbage-'));
    try {
      await writeFile(join(copy, 'dev-credentials.json'), '{not json', { mode: 0o600 });
      await expect(startOperator(configFor(copy), logger)).rejects.toThrow(
        /dev-credentials\.json is damaged/,
      );
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('reports a corrupted embedded database clearly instead of resetting it', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'uid2-broken-'));
    try {
      await run('mkdir', ['-p', join(broken, 'pglite')]);
      await writeFile(join(broken, 'pglite', 'PG_VERSION'), 'garbage');
      await expect(startOperator(configFor(broken), logger)).rejects.toThrow(/pglite/);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});

describe.runIf(process.env.DATABASE_URL)('startOperator on PostgreSQL', () => {
  it('seeds and serves a token from a fresh Postgres database', async () => {
    await withFreshPostgres(async (url) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'uid2-operator-pg-'));
      const kekBase64 = randomBytes(32).toString('base64');
      const running = await startOperator(configFor(dataDir, { databaseUrl: url, kekBase64 }), logger);
      try {
        const credentials = JSON.parse(
          await readFile(join(dataDir, 'dev-credentials.json'), 'utf8'),
        ) as DevCredentials;
        expect((await generate(credentials, 'user@example.com')).status).toBe('success');
      } finally {
        await running.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
});

describe('the operator process', () => {
  const main = join(import.meta.dirname, 'main.ts');
  const start = (env: Record<string, string>) =>
    run(process.execPath, ['--conditions=@uid2-operator/source', '--import', 'tsx', main], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 30_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

  it('fails fast with one line naming the setting for a bad DATABASE_URL', async () => {
    const result = await start({
      DATABASE_URL: 'mysql://nope',
      UID2_KEK: randomBytes(32).toString('base64'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('fails fast naming DATABASE_URL when PostgreSQL is unreachable', async () => {
    const result = await start({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none',
      UID2_KEK: randomBytes(32).toString('base64'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('fails fast naming UID2_KEK when it is not 32 bytes of base64', async () => {
    const result = await start({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none', UID2_KEK: 'short' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/UID2_KEK/);
  });
});
