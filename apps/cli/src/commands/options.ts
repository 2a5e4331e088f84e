import type { DiiInput } from '@uid2-operator/client';
import type { Command } from 'commander';
import { usageError } from '../lib/cli-error.js';
import type { ClientFlags } from '../lib/client-config.js';
import type { OutputOptions } from '../lib/output.js';

/** Adds `--json` (machine-readable output). */
export function withJson(command: Command): Command {
  return command.option('--json', 'print JSON instead of a table');
}

/** Flags of admin commands that open the database. */
export interface DatabaseFlags extends OutputOptions {
  readonly databaseUrl?: string | undefined;
  readonly dataDir?: string | undefined;
}

/** Adds `--database-url` and `--data-dir` (admin commands). */
export function withDatabase(command: Command): Command {
  return withJson(command)
    .option('--database-url <url>', 'PostgreSQL URL (default: DATABASE_URL; unset = the embedded database)')
    .option(
      '--data-dir <dir>',
      'directory of the embedded database and its KEK (default: UID2_DATA_DIR or .data)',
    );
}

/** Adds `--url`, `--key`, `--secret`, `--credentials`, `--timeout` (client commands). */
export function withOperator(command: Command): Command {
  return withJson(command)
    .option('--url <url>', 'operator base URL (default: UID2_URL or the dev credentials file)')
    .option('--key <apiKey>', 'API key (default: UID2_API_KEY or the dev credentials file)')
    .option('--secret <secret>', 'client secret, base64 (default: UID2_SECRET or the dev credentials file)')
    .option(
      '--credentials <file>',
      'credentials JSON {baseUrl, apiKey, secret} (default: .data/dev-credentials.json)',
    )
    .option('--timeout <ms>', 'per-request timeout in milliseconds');
}

/** Flags of client commands. */
export type OperatorFlags = ClientFlags & OutputOptions;

/** Flags naming one identifier. */
export interface DiiFlags {
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly emailHash?: string | undefined;
  readonly phoneHash?: string | undefined;
}

/** Adds `--email`, `--phone`, `--email-hash`, `--phone-hash` (exactly one is required). */
export function withDii(command: Command): Command {
  return command
    .option('--email <email>', 'email address (normalized by the operator)')
    .option('--phone <phone>', 'phone number in E.164 form, e.g. +12345678901')
    .option('--email-hash <hash>', 'base64 or hex SHA-256 of the normalized email')
    .option('--phone-hash <hash>', 'base64 or hex SHA-256 of the phone number');
}

/** The one identifier of {@link DiiFlags}. @throws CliError (usage) unless exactly one is given */
export function diiOf(flags: DiiFlags): DiiInput {
  const given: DiiInput[] = [];
  if (flags.email !== undefined) given.push({ email: flags.email });
  if (flags.phone !== undefined) given.push({ phone: flags.phone });
  if (flags.emailHash !== undefined) given.push({ emailHash: flags.emailHash });
  if (flags.phoneHash !== undefined) given.push({ phoneHash: flags.phoneHash });
  const [only] = given;
  if (given.length !== 1 || only === undefined) {
    throw usageError('give exactly one of --email, --phone, --email-hash, --phone-hash');
  }
  return only;
}

/** Parses a positive integer flag. @throws CliError (usage) */
export function positiveInt(
  text: string | undefined,
  name: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw usageError(`${name} must be an integer from 1 to ${max}`);
  return value;
}
