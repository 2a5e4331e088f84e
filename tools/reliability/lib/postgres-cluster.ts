import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';
const postgresIds = async (): Promise<[number, number]> => {
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return [Number(stdout.trim()), Number(gid.trim())];
};

/**
 * A private PostgreSQL 15 cluster for the fault tests: its own data directory under /tmp, its own
 * port on 127.0.0.1 and socket directory, trust authentication, run as the `postgres` user via
 * `runuser` (initdb refuses root). Stopping it never touches the machine's shared server.
 */
export class PostgresCluster {
  private running = false;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** initdb + start. */
  static async create(): Promise<PostgresCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'uid2-rel-pg-'));
    const [uid, gid] = await postgresIds();
    await chown(dir, uid, gid);
    const cluster = new PostgresCluster(dir, await freePort());
    await cluster.asPostgres(`${BIN}/initdb`, [
      '-D',
      cluster.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
    ]);
    await cluster.start();
    return cluster;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** A connection URL for database `name`. */
  url(name = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${name}`;
  }

  /** Creates a database and returns its URL. */
  async createDatabase(name: string): Promise<string> {
    await this.query('postgres', `CREATE DATABASE ${name}`);
    return this.url(name);
  }

  /** Runs one statement on database `name` and returns its rows. */
  async query<T extends Record<string, unknown>>(
    name: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.url(name) });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  async start(): Promise<void> {
    await this.asPostgres(`${BIN}/pg_ctl`, [
      '-D',
      this.dataDir,
      '-l',
      join(this.dir, 'pg.log'),
      '-o',
      `-h 127.0.0.1 -p ${this.port} -k ${this.dir}`,
      '-w',
      'start',
    ]);
    this.running = true;
  }

  /** `fast` disconnects clients and shuts down cleanly; `immediate` is a crash-like stop. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!this.running) return;
    await this.asPostgres(`${BIN}/pg_ctl`, ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
    this.running = false;
  }

  /** Stops the cluster and removes its files. */
  async destroy(): Promise<void> {
    await this.stop('fast').catch(() => this.stop('immediate').catch(() => undefined));
    await rm(this.dir, { recursive: true, force: true });
  }

  /** A data-only `pg_dump` of database `name` as text (used to prove secrets are encrypted at rest). */
  async dump(name: string): Promise<string> {
    const { stdout } = await run(
      `${BIN}/pg_dump`,
      ['--data-only', '-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', name],
      {
        maxBuffer: 1 << 30,
      },
    );
    return stdout;
  }

  private async asPostgres(command: string, args: string[]): Promise<void> {
    await run('runuser', ['-u', 'postgres', '--', command, ...args], { cwd: this.dir, timeout: 120_000 });
  }
}
