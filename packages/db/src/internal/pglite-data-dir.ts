import { open, readdir, readFile, stat, unlink, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DbError } from '../db-error.js';

/** Name of the lock file this package keeps inside a PGlite data directory while it is open. */
export const LOCK_FILE = 'uid2-operator.lock';

// Files every initialized cluster has; PGlite would silently run initdb over a directory lacking them.
const REQUIRED = [
  { path: 'PG_VERSION', kind: 'file' },
  { path: 'global/pg_control', kind: 'file', size: 8192 },
  { path: 'base', kind: 'directory' },
  { path: 'pg_wal', kind: 'directory' },
  { path: 'pg_xact', kind: 'directory' },
] as const;

const openInThisProcess = new Set<string>();

/**
 * Resolves `dataDir` and checks it is usable: missing or empty (a new database is created) or a
 * complete cluster. Returns the absolute path.
 *
 * @throws DbError `ERR_DB_CONFIG` if it is not a directory, `ERR_DB_EMBEDDED_CORRUPT` if it holds
 *   files but not a complete cluster.
 */
export async function checkDataDir(dataDir: string): Promise<string> {
  const directory = resolve(dataDir);
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      return directory;
    }
    throw new DbError(
      'ERR_DB_CONFIG',
      `The embedded database directory ${directory} is not a usable directory (${code ?? 'error'})`,
    );
  }
  if (entries.every((name) => name === LOCK_FILE)) return directory;
  for (const required of REQUIRED) {
    const problem = await checkEntry(
      join(directory, required.path),
      required.kind,
      'size' in required ? required.size : undefined,
    );
    if (problem !== undefined) {
      throw new DbError(
        'ERR_DB_EMBEDDED_CORRUPT',
        `The embedded database directory ${directory} is not a complete PGlite database: ${required.path} ${problem}. ` +
          'Restore it from a backup, or use an empty directory for a new database. Nothing was changed.',
      );
    }
  }
  return directory;
}

async function checkEntry(
  path: string,
  kind: 'file' | 'directory',
  size: number | undefined,
): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (kind === 'directory') return info.isDirectory() ? undefined : 'is not a directory';
    if (!info.isFile()) return 'is not a file';
    if (size !== undefined && info.size !== size) return `has ${info.size} bytes instead of ${size}`;
    return undefined;
  } catch {
    return 'is missing';
  }
}

/** A held data-directory lock. */
export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * Takes the data-directory lock (a file holding the owner's pid). A lock left by a dead process
 * is taken over; a live owner — another process, or another open Database in this one — is refused.
 *
 * @throws DbError `ERR_DB_EMBEDDED_LOCKED`.
 */
export async function acquireDataDirLock(directory: string): Promise<DataDirLock> {
  const path = join(directory, LOCK_FILE);
  if (openInThisProcess.has(directory)) throw locked(directory, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      openInThisProcess.add(directory);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          openInThisProcess.delete(directory);
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) throw locked(directory, owner);
      await unlink(path).catch(() => undefined); // stale: its process is gone
    }
  }
  throw locked(directory, undefined);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function locked(directory: string, pid: number | undefined): DbError {
  const owner =
    pid === undefined ? 'another process' : pid === process.pid ? 'this process' : `process ${pid}`;
  return new DbError(
    'ERR_DB_EMBEDDED_LOCKED',
    `The embedded database directory ${directory} is already open in ${owner}; PGlite allows one user at a time`,
  );
}
