import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

const REPO = resolve(import.meta.dirname, '../../..');
const MAIN = join(REPO, 'apps/operator/src/main.ts');

/** What the development seed wrote to `<dataDir>/dev-credentials.json`. */
export interface DevCredentials {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly secret: string;
  readonly siteId: number;
  readonly subscriptionId: string;
  readonly publicKey: string;
}

/** A real operator process listening on 127.0.0.1. */
export interface OperatorProcess {
  readonly credentials: DevCredentials;
  readonly dataDir: string;
  /** Everything the process wrote to stdout and stderr. */
  readonly output: () => string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** A fresh database on the server of `DATABASE_URL`; `drop` removes it. */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (base === undefined) throw new Error('DATABASE_URL is not set');
  const name = `uid2_e2e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = new pg.Client({ connectionString: base });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

/**
 * Starts `apps/operator` exactly as `npm start` does (TypeScript sources through tsx) on a free
 * loopback port, with a small development seed, and waits for `/ops/healthcheck`.
 */
export async function startOperatorProcess(env: Record<string, string> = {}): Promise<OperatorProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'uid2-e2e-'));
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@uid2-operator/source', '--import', 'tsx', MAIN],
    {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        UID2_DATA_DIR: dataDir,
        UID2_DEV_SALT_BUCKETS: '4096',
        REFRESH_POLL_MS: '250',
        HASH_WORKERS: '1',
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`operator exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/ops/healthcheck`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`operator not healthy after 90 s:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  const credentials = JSON.parse(
    await readFile(join(dataDir, 'dev-credentials.json'), 'utf8'),
  ) as DevCredentials;
  return { credentials, dataDir, output: () => output, stop };
}
