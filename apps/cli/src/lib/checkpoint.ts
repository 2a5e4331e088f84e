import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Progress of a resumable import, saved after every committed batch. */
export interface ImportCheckpoint {
  /** Identifies the input: absolute path, size and modification time. */
  readonly file: { readonly path: string; readonly size: number; readonly mtimeMs: number };
  /** Settings that change the result; a different value starts over. */
  readonly settings: Readonly<Record<string, string>>;
  /** Byte offset just after the last committed row. */
  readonly offset: number;
  /** Line number of the next row. */
  readonly line: number;
  /** Where the identifiers sit, as detected on the first row (`null` before any row). */
  readonly layout: {
    readonly header: boolean;
    readonly typeIndex: number | null;
    readonly valueIndex: number;
  } | null;
  /** Counters of the committed part. */
  readonly counts: Readonly<Record<string, number>>;
}

/**
 * The checkpoint file of one (input file, database) pair in `dir`. The name is a hash, so paths
 * and database URLs never appear in it.
 */
export function checkpointPath(
  dir: string,
  kind: string,
  filePath: string,
  databaseIdentity: string,
): string {
  const id = createHash('sha256')
    .update(`${kind}\0${filePath}\0${databaseIdentity}`)
    .digest('hex')
    .slice(0, 24);
  return join(dir, `${kind}-${id}.json`);
}

/** Reads a checkpoint that still matches the input and settings, else `undefined`. */
export async function readCheckpoint(
  path: string,
  file: ImportCheckpoint['file'],
  settings: ImportCheckpoint['settings'],
): Promise<ImportCheckpoint | undefined> {
  let saved: ImportCheckpoint;
  try {
    saved = JSON.parse(await readFile(path, 'utf8')) as ImportCheckpoint;
  } catch {
    return undefined;
  }
  const sameFile =
    saved.file?.path === file.path && saved.file.size === file.size && saved.file.mtimeMs === file.mtimeMs;
  const sameSettings = JSON.stringify(saved.settings) === JSON.stringify(settings);
  return sameFile && sameSettings ? saved : undefined;
}

/** Saves a checkpoint atomically (temporary file, then rename), so a crash never leaves half a file. */
export async function writeCheckpoint(path: string, checkpoint: ImportCheckpoint): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(checkpoint), { mode: 0o600 });
  await rename(temporary, path);
}

/** Removes a checkpoint (the import finished). */
export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}
