import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DbError } from './db-error.js';

/** Length in bytes of a key-encryption key (AES-256). */
export const KEK_BYTES = 32;

/** Source of cryptographically strong random bytes: returns `size` fresh bytes. */
export type RandomSource = (size: number) => Buffer;

const KEK_BASE64 = /^[A-Za-z0-9+/]{43}=$/;
/** Distinguishes the temporary files of concurrent `loadOrCreateKekFile` calls in one process. */
let temporaryCounter = 0;

/**
 * Parses a key-encryption key given as standard base64 (with padding) of exactly 32 bytes.
 * Surrounding whitespace (a trailing newline from a file or secret store) is ignored.
 *
 * @param base64 - the KEK text, e.g. the value of `UID2_KEK`.
 * @param settingName - what the error message calls the value (default `UID2_KEK`).
 * @returns the 32 key bytes.
 * @throws DbError `ERR_DB_KEK_INVALID` when the text is not base64 of 32 bytes (the message names
 *   the setting, never the value).
 */
export function parseKek(base64: string, settingName = 'UID2_KEK'): Buffer {
  const text = typeof base64 === 'string' ? base64.trim() : '';
  if (!KEK_BASE64.test(text)) {
    throw new DbError(
      'ERR_DB_KEK_INVALID',
      `${settingName} must be standard base64 of exactly ${KEK_BYTES} bytes (44 characters ending in "=")`,
    );
  }
  return Buffer.from(text, 'base64');
}

/** Options of {@link loadOrCreateKekFile}. */
export interface KekFileOptions {
  /** Random source for a new KEK; defaults to `node:crypto` `randomBytes` (tests inject bytes). */
  readonly random?: RandomSource;
}

/**
 * Returns the KEK stored in `path` (base64 text of 32 bytes plus a newline), creating the file
 * first if it does not exist: 32 fresh random bytes, file mode 0600, parent directories 0700.
 * Creation is atomic (write to a temporary file, then hard-link it into place), so two processes
 * starting together end up with the same key.
 *
 * Meant for development and single-host installs; production passes `UID2_KEK` from a secret store
 * through {@link parseKek}.
 *
 * @throws DbError `ERR_DB_KEK_INVALID` when the file exists but does not hold base64 of 32 bytes
 *   (the message names the file), `ERR_DB_CONFIG` when it cannot be read or written.
 */
export async function loadOrCreateKekFile(path: string, options: KekFileOptions = {}): Promise<Buffer> {
  const existing = await readKekFile(path);
  if (existing !== undefined) return existing;

  const kek = (options.random ?? randomBytes)(KEK_BYTES);
  if (kek.length !== KEK_BYTES)
    throw new TypeError(`random source returned ${kek.length} bytes, expected ${KEK_BYTES}`);
  // Unique per call: concurrent callers in one process must not share (and unlink) a temp file.
  const temporary = `${path}.${process.pid}.${++temporaryCounter}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(temporary, `${kek.toString('base64')}\n`, { mode: 0o600, flag: 'w' });
    await link(temporary, path);
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw fileError(path, 'create', error);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  // Whoever won the race, the file now holds the key every process must use.
  const stored = await readKekFile(path);
  if (stored === undefined) throw fileError(path, 'create', undefined);
  return stored;
}

async function readKekFile(path: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw fileError(path, 'read', error);
  }
  try {
    return parseKek(text);
  } catch {
    throw new DbError(
      'ERR_DB_KEK_INVALID',
      `KEK file ${path} is malformed: it must contain standard base64 of exactly ${KEK_BYTES} bytes; ` +
        'restore the original file (data encrypted under another key cannot be read)',
    );
  }
}

function fileError(path: string, action: 'read' | 'create', error: unknown): DbError {
  const reason = error instanceof Error ? `: ${error.message}` : '';
  return new DbError('ERR_DB_CONFIG', `Cannot ${action} KEK file ${path}${reason}`);
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
