import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A development operator running in a child process on a loopback port. */
export interface OperatorProcess {
  readonly url: string;
  /** Its data directory (holds dev-credentials.json): pass as UID2_DATA_DIR to client commands. */
  readonly dataDir: string;
  stop(): Promise<void>;
}

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/** Finds a free loopback port (the operator cannot report a port 0 choice to its parent). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `apps/operator/src/main.ts` (through tsx) with an embedded database in a temp dir, a
 * small salt table and the development seed, and waits until `/ops/healthcheck` answers OK.
 * The CLI never imports the operator: this is a separate process.
 */
export async function startOperator(env: Record<string, string> = {}): Promise<OperatorProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'uid2-cli-operator-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tsx = import.meta.resolve('tsx');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@uid2-operator/source', '--import', tsx, join(REPO, 'apps/operator/src/main.ts')],
    {
      cwd: REPO,
      env: {
        ...process.env,
        DATABASE_URL: '',
        PORT: String(port),
        HOST: '127.0.0.1',
        UID2_DATA_DIR: dataDir,
        UID2_DEV_SALT_BUCKETS: '1024',
        LOG_LEVEL: 'warn',
        HASH_WORKERS: '0',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`operator exited with ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`${url}/ops/healthcheck`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return { url, dataDir, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`operator did not become healthy: ${stderr}`);
}
