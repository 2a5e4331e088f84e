import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { Uid2Client } from '@uid2-operator/client';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/** Flags that locate a running operator and its credentials. */
export interface ClientFlags {
  readonly url?: string | undefined;
  readonly key?: string | undefined;
  readonly secret?: string | undefined;
  /** Credentials JSON (`{baseUrl, apiKey, secret}`), default `<data dir>/dev-credentials.json`. */
  readonly credentials?: string | undefined;
  /** Per-request timeout, milliseconds. */
  readonly timeout?: string | undefined;
}

/** Resolved operator credentials. */
export interface OperatorCredentials {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly secret: string;
}

/** The data directory: `UID2_DATA_DIR` or `.data`, relative to the working directory. */
export function dataDirOf(io: CliIo, flag?: string): string {
  const dir = flag ?? io.env['UID2_DATA_DIR'] ?? '.data';
  return isAbsolute(dir) ? dir : resolve(io.cwd, dir);
}

/**
 * Credentials from, in order: `--url/--key/--secret`, the `UID2_URL`, `UID2_API_KEY`,
 * `UID2_SECRET` environment variables, then the credentials file (the dev operator writes
 * `.data/dev-credentials.json` on its first start).
 *
 * @throws CliError when something is still missing, or the file is unreadable
 */
export async function resolveCredentials(io: CliIo, flags: ClientFlags): Promise<OperatorCredentials> {
  const found = await findCredentials(io, flags);
  if (found.baseUrl === undefined || found.apiKey === undefined || found.secret === undefined) {
    throw new CliError(
      'no operator credentials: pass --url, --key and --secret (or UID2_URL, UID2_API_KEY, UID2_SECRET), ' +
        'or start the development operator once to create .data/dev-credentials.json',
    );
  }
  return { baseUrl: found.baseUrl, apiKey: found.apiKey, secret: found.secret };
}

async function findCredentials(io: CliIo, flags: ClientFlags): Promise<Partial<OperatorCredentials>> {
  let baseUrl = flags.url ?? io.env['UID2_URL'];
  let apiKey = flags.key ?? io.env['UID2_API_KEY'];
  let secret = flags.secret ?? io.env['UID2_SECRET'];
  if (baseUrl === undefined || apiKey === undefined || secret === undefined) {
    const file =
      flags.credentials === undefined
        ? join(dataDirOf(io), 'dev-credentials.json')
        : resolve(io.cwd, flags.credentials);
    const stored = await readCredentialsFile(file, flags.credentials !== undefined);
    baseUrl ??= stored?.baseUrl;
    apiKey ??= stored?.apiKey;
    secret ??= stored?.secret;
  }
  return { baseUrl, apiKey, secret };
}

async function readCredentialsFile(
  file: string,
  required: boolean,
): Promise<Partial<OperatorCredentials> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    if (required) throw new CliError(`cannot read the credentials file ${file}`);
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const pick = (name: string): string | undefined =>
      typeof parsed[name] === 'string' ? parsed[name] : undefined;
    return { baseUrl: pick('baseUrl'), apiKey: pick('apiKey'), secret: pick('secret') };
  } catch {
    throw new CliError(`the credentials file ${file} is not JSON`);
  }
}

/**
 * A {@link Uid2Client} for the resolved operator. With `urlOnly` (refresh needs no API key) a URL
 * alone is enough.
 * @throws CliError on missing credentials or a malformed secret or timeout
 */
export async function clientFromFlags(
  io: CliIo,
  flags: ClientFlags,
  options: { readonly urlOnly?: boolean } = {},
): Promise<Uid2Client> {
  const partial = options.urlOnly === true ? await findCredentials(io, flags) : undefined;
  const credentials =
    partial?.baseUrl !== undefined && (partial.apiKey === undefined || partial.secret === undefined)
      ? { baseUrl: partial.baseUrl }
      : await resolveCredentials(io, flags);
  const timeoutMs = flags.timeout === undefined ? undefined : Number(flags.timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new CliError('--timeout must be a positive number of milliseconds', 2);
  }
  try {
    return new Uid2Client({ ...credentials, timeoutMs, now: io.now, random: io.random });
  } catch {
    throw new CliError('the client secret must be base64 of 32 bytes');
  }
}
