import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** How to start one operator process. */
export interface OperatorLaunch {
  /** Repository root (cwd of the operator). */
  readonly root: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** Extra environment, e.g. `{ HASH_WORKERS: '1' }`. */
  readonly env?: Record<string, string>;
  /** Directory for `--cpu-prof` output, or undefined. */
  readonly cpuProfDir: string | undefined;
  /** stdout+stderr of the operator go here (they hold the dev credentials on first start). */
  readonly logPath: string;
  /** Give up waiting for `/ops/healthcheck` = OK after this many ms. */
  readonly readyTimeoutMs: number;
}

/** A running operator child process. */
export interface OperatorProcess {
  readonly pid: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Spawn to first healthcheck `OK`, ms. */
  readonly readyMs: number;
  /** SIGTERM, then SIGKILL after 20 s; resolves when it has exited. */
  readonly stop: () => Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released; a tiny race is acceptable for a benchmark). */
export function freePort(): Promise<number> {
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

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ops/healthcheck`, { signal: AbortSignal.timeout(2000) });
    return response.status === 200 && (await response.text()) === 'OK';
  } catch {
    return false;
  }
}

async function tail(path: string, lines: number): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    // Only the operator's own error lines (stderr prefix); the log also holds dev credentials.
    return text
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('uid2-operator:') || line.includes('"level":50') || line.includes('"level":60'),
      )
      .slice(-lines)
      .join('\n');
  } catch {
    return '';
  }
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts the real operator (`node --conditions=@uid2-operator/source --import tsx
 * apps/operator/src/main.ts`) on a free port and waits until `/ops/healthcheck` answers `OK`.
 * @throws Error when it exits or is not ready in time (with its error lines, never credentials).
 */
export async function startOperatorProcess(launch: OperatorLaunch): Promise<OperatorProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nodeArgs = ['--conditions=@uid2-operator/source', '--import', 'tsx'];
  if (launch.cpuProfDir !== undefined) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${launch.cpuProfDir}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    UID2_DATA_DIR: launch.dataDir,
    ...(launch.databaseUrl !== undefined ? { DATABASE_URL: launch.databaseUrl } : {}),
    ...launch.env,
  };
  if (launch.env?.HASH_WORKERS === undefined) delete env.HASH_WORKERS;
  const log = createWriteStream(launch.logPath, { flags: 'a', mode: 0o600 });
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, join(launch.root, 'apps/operator/src/main.ts')], {
    cwd: launch.root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = waitExit(child);
  let dead = false;
  void exited.then(() => (dead = true));
  const stop = async (): Promise<void> => {
    if (!dead) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  while (!(await healthy(url))) {
    if (dead)
      throw new Error(
        `the operator exited during start (see ${launch.logPath}):\n${await tail(launch.logPath, 5)}`,
      );
    if (performance.now() - started > launch.readyTimeoutMs) {
      await stop();
      throw new Error(
        `the operator was not ready within ${launch.readyTimeoutMs / 1000} s:\n${await tail(launch.logPath, 5)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { pid: child.pid ?? -1, url, readyMs: Math.round(performance.now() - started), stop };
}

/** The first line of the operator log at `path` containing `text` (undefined if none or unreadable). */
async function findLogLine(path: string, text: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).split('\n').find((line) => line.includes(text));
  } catch {
    return undefined; // not written yet
  }
}

/** True when the operator log at `path` has a line containing `text` (false if unreadable). */
export async function logHas(path: string, text: string): Promise<boolean> {
  return (await findLogLine(path, text)) !== undefined;
}

/**
 * Waits until the operator log at `path` has a JSON line containing `text`, and returns it parsed.
 * @throws Error after `timeoutMs`
 */
export async function waitForLogLine(
  path: string,
  text: string,
  timeoutMs: number,
): Promise<{ readonly ms?: number }> {
  const started = performance.now();
  for (;;) {
    const line = await findLogLine(path, text);
    if (line !== undefined) return JSON.parse(line) as { ms?: number };
    if (performance.now() - started > timeoutMs)
      throw new Error(`no ${text} in ${path} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The fields of `<dataDir>/dev-credentials.json` the bench needs. */
export interface BenchCredentials {
  readonly apiKey: string;
  /** Client secret, standard base64 of 32 bytes. */
  readonly secret: string;
}

/** Reads `<dataDir>/dev-credentials.json`, or undefined when the database was not seeded by this dir. */
export async function readCredentials(dataDir: string): Promise<BenchCredentials | undefined> {
  try {
    const parsed = JSON.parse(
      await readFile(join(dataDir, 'dev-credentials.json'), 'utf8'),
    ) as Partial<BenchCredentials>;
    if (typeof parsed.apiKey !== 'string' || typeof parsed.secret !== 'string') return undefined;
    return { apiKey: parsed.apiKey, secret: parsed.secret };
  } catch {
    return undefined;
  }
}
