import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SensitiveValues } from './log-scan.js';
import { PostgresCluster } from './postgres-cluster.js';

/** The repository root (this file is tools/reliability/lib/suite-context.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Output of one process the suite started, kept for the log scan of the security scenario. */
export interface CapturedLog {
  readonly name: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/** Options of a suite run (command-line flags). */
export interface SuiteOptions {
  /** `--quick`: 5,000 fuzz cases, 10 s of load. */
  readonly quick: boolean;
  /** `--keep`: leave the temporary directory (operator data, logs) in place. */
  readonly keep: boolean;
  /** `--fuzz-cases <n>`: overrides the fuzz case count. */
  readonly fuzzCases: number | undefined;
  /** `--load-seconds <n>`: overrides the load duration. */
  readonly loadSeconds: number | undefined;
  /** `--seed <n>`: fuzz seed. */
  readonly seed: number;
}

/**
 * What every scenario shares: a private temporary directory, the captured logs of every process
 * started, the registry of values that must never appear in a log, and a private PostgreSQL
 * cluster created on first use (never the machine's shared server).
 */
export class SuiteContext {
  readonly logs: CapturedLog[] = [];
  readonly sensitive = new SensitiveValues();
  private cluster: PostgresCluster | undefined;
  private counter = 0;

  private constructor(
    readonly options: SuiteOptions,
    readonly workDir: string,
  ) {}

  static async create(options: SuiteOptions): Promise<SuiteContext> {
    return new SuiteContext(options, await mkdtemp(join(tmpdir(), 'uid2-reliability-')));
  }

  /** A fresh directory name under the work directory (not created). */
  path(name: string): string {
    this.counter += 1;
    return join(this.workDir, `${String(this.counter).padStart(2, '0')}-${name}`);
  }

  /** The suite's private PostgreSQL cluster, started on first use. */
  async postgres(): Promise<PostgresCluster> {
    this.cluster ??= await PostgresCluster.create();
    return this.cluster;
  }

  /** Stops the private cluster and removes temporary files (unless `--keep`). */
  async close(): Promise<void> {
    await this.cluster?.destroy();
    if (!this.options.keep) await rm(this.workDir, { recursive: true, force: true });
  }
}
