import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, type SuiteContext } from './suite-context.js';

/** What `<UID2_DATA_DIR>/dev-credentials.json` holds after the development seed. */
export interface DevCredentials {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly secret: string;
  readonly siteId: number;
  readonly subscriptionId: string;
  readonly publicKey: string;
}

/** How to start an operator child process. */
export interface OperatorOptions {
  /** Label for logs and reports. */
  readonly name: string;
  /** `UID2_DATA_DIR` (embedded database, KEK file, dev credentials). */
  readonly dataDir: string;
  /** Extra environment (`DATABASE_URL`, `UID2_KEK`, `REFRESH_POLL_MS`, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** Give up waiting for readiness after this long (default 120 s). */
  readonly readyTimeoutMs?: number;
}

/** How a process ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The operator did not become ready: it exited (with its output) or timed out. */
export class OperatorStartError extends Error {
  override readonly name = 'OperatorStartError';
  constructor(
    message: string,
    readonly exit: ExitInfo | undefined,
    readonly stderr: string,
  ) {
    super(message);
  }
}

const READY_MESSAGE = 'UID2 operator ready';

/**
 * One operator child process (`node --conditions=@uid2-operator/source --import tsx
 * apps/operator/src/main.ts`) listening on a port the OS picks (`PORT=0`) on 127.0.0.1. Its
 * stdout/stderr are kept in memory and in `<dataDir>.stdout.log` / `.stderr.log`, and registered
 * with the suite for the log scan.
 */
export class OperatorProcess {
  private stdoutText = '';
  private stderrText = '';
  private readonly exitPromise: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  url = '';
  readyMs = 0;

  private constructor(
    readonly options: OperatorOptions,
    private readonly child: ChildProcess,
  ) {
    this.exitPromise = new Promise((done) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        done(this.exitInfo);
      });
    });
  }

  /** Spawns the operator and waits until it logs that it is ready. @throws OperatorStartError */
  static async start(ctx: SuiteContext, options: OperatorOptions): Promise<OperatorProcess> {
    const operator = OperatorProcess.spawn(ctx, options);
    await operator.waitReady(options.readyTimeoutMs ?? 120_000);
    return operator;
  }

  /** Spawns without waiting (see {@link waitReady}). */
  static spawn(ctx: SuiteContext, options: OperatorOptions): OperatorProcess {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      LANG: 'C.UTF-8',
      PORT: '0',
      HOST: '127.0.0.1',
      UID2_DATA_DIR: options.dataDir,
      UID2_DEV_SALT_BUCKETS: '65536',
      LOG_LEVEL: 'info',
      ...options.env,
    };
    const child = spawn(
      process.execPath,
      ['--conditions=@uid2-operator/source', '--import', 'tsx', 'apps/operator/src/main.ts'],
      {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const operator = new OperatorProcess(options, child);
    const logBase = `${options.dataDir.replace(/\/+$/, '')}-${options.name}`;
    void mkdir(join(logBase, '..'), { recursive: true }).then(() => {
      const out = createWriteStream(`${logBase}.stdout.log`);
      const err = createWriteStream(`${logBase}.stderr.log`);
      out.write(operator.stdoutText);
      err.write(operator.stderrText);
      child.stdout?.pipe(out);
      child.stderr?.pipe(err);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      operator.stdoutText += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      operator.stderrText += chunk.toString('utf8');
    });
    ctx.logs.push({
      name: options.name,
      stdout: () => operator.stdoutText,
      stderr: () => operator.stderrText,
    });
    return operator;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** True while the process has not exited. */
  alive(): boolean {
    return this.exitInfo === undefined;
  }

  /** Resolves when the process exits. */
  exited(): Promise<ExitInfo> {
    return this.exitPromise;
  }

  /** Waits for the ready log line (its `url` becomes {@link url}). @throws OperatorStartError */
  async waitReady(timeoutMs: number): Promise<void> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const url = this.readyUrl();
      if (url !== undefined) {
        this.url = url;
        this.readyMs = Date.now() - started;
        return;
      }
      if (this.exitInfo !== undefined) {
        const reason = this.stderrText.split('\n').find((line) => line.trim() !== '') ?? '(no output)';
        throw new OperatorStartError(
          `operator ${this.options.name} exited before it was ready: ${reason.slice(0, 300)}`,
          this.exitInfo,
          this.stderrText,
        );
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new OperatorStartError(
      `operator ${this.options.name} not ready after ${timeoutMs} ms`,
      undefined,
      this.stderrText,
    );
  }

  private readyUrl(): string | undefined {
    for (const line of this.stdoutText.split('\n')) {
      if (!line.includes(READY_MESSAGE)) continue;
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === READY_MESSAGE && typeof entry.url === 'string') return entry.url;
      } catch {
        // not a JSON log line
      }
    }
    return undefined;
  }

  /** The development credentials the seed wrote into the data directory. */
  async credentials(): Promise<DevCredentials> {
    const credentials = JSON.parse(
      await readFile(join(this.options.dataDir, 'dev-credentials.json'), 'utf8'),
    ) as DevCredentials;
    return { ...credentials, baseUrl: this.url };
  }

  /** Resident set size in bytes, from /proc (undefined once exited). */
  async rssBytes(): Promise<number | undefined> {
    try {
      const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
      return kb === undefined ? undefined : Number(kb) * 1024;
    } catch {
      return undefined;
    }
  }

  /** CPU time used so far (user + system), seconds, from /proc (clock ticks of 1/100 s). */
  async cpuSeconds(): Promise<number | undefined> {
    try {
      const stat = await readFile(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  async stop(graceMs = 15_000): Promise<ExitInfo> {
    if (this.exitInfo !== undefined) return this.exitInfo;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const info = await this.exitPromise;
    clearTimeout(timer);
    return info;
  }

  /** SIGKILL now (a crash), and wait for the exit. */
  async kill(): Promise<ExitInfo> {
    if (this.exitInfo !== undefined) return this.exitInfo;
    this.child.kill('SIGKILL');
    return this.exitPromise;
  }
}
