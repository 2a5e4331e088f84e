import type { AddOptOutIdentitiesInput } from '@uid2-operator/db';
import type { Command } from 'commander';
import { CliError, usageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/** The operator's identity settings that opt-out records and their raw UIDs depend on. */
export type IdentitySettings = Pick<AddOptOutIdentitiesInput, 'scope' | 'identityV3' | 'environment'>;

/** Flags of {@link withIdentitySettings}. */
export interface IdentityFlags {
  readonly scope?: string | undefined;
  readonly identityV3?: string | undefined;
  readonly identityEnvironment?: string | undefined;
}

/**
 * Adds `--scope`, `--identity-v3` and `--identity-environment`: the settings the operator reads
 * from `IDENTITY_SCOPE`, `IDENTITY_V3` and `IDENTITY_ENVIRONMENT` (spec/internals.md §7.1).
 */
export function withIdentitySettings(command: Command): Command {
  return command
    .option('--scope <scope>', 'identity scope, UID2 or EUID (default: IDENTITY_SCOPE or UID2)')
    .option(
      '--identity-v3 <bool>',
      "the operator's identity_v3: raw UID v3 instead of v2 (default: IDENTITY_V3 or false)",
    )
    .option(
      '--identity-environment <env>',
      "the operator's identity environment: test, integ or prod (default: IDENTITY_ENVIRONMENT or test)",
    );
}

const TRUE = ['true', '1', 'yes'];
const FALSE = ['false', '0', 'no'];

/**
 * One setting: the flag when given (a bad value is a usage error), else the environment variable
 * (a bad value is a failure naming the variable), else the operator's default.
 */
function setting<T>(
  io: CliIo,
  given: { flag: string; value: string | undefined; variable: string; fallback: T },
  parse: (text: string) => T | undefined,
  expected: string,
): T {
  if (given.value !== undefined) {
    const parsed = parse(given.value.trim());
    if (parsed === undefined) throw usageError(`${given.flag} must be ${expected}`);
    return parsed;
  }
  const text = io.env[given.variable]?.trim();
  if (text === undefined || text === '') return given.fallback;
  const parsed = parse(text);
  if (parsed === undefined) throw new CliError(`${given.variable} must be ${expected}`);
  return parsed;
}

/**
 * The identity settings from flags, then `IDENTITY_SCOPE` / `IDENTITY_V3` / `IDENTITY_ENVIRONMENT`,
 * then the operator's defaults UID2 / false / test. Opt-outs must be computed with the same
 * settings as the operator, or `/v2/optout/status` will not find their raw UIDs.
 *
 * @throws CliError (usage) for a bad flag, (failure) for a bad environment variable
 */
export function identitySettingsOf(io: CliIo, flags: IdentityFlags): IdentitySettings {
  const scope = setting(
    io,
    { flag: '--scope', value: flags.scope, variable: 'IDENTITY_SCOPE', fallback: 'UID2' as const },
    (text) => {
      const scope = text.toUpperCase();
      return scope === 'UID2' || scope === 'EUID' ? scope : undefined;
    },
    'UID2 or EUID',
  );
  const identityV3 = setting(
    io,
    { flag: '--identity-v3', value: flags.identityV3, variable: 'IDENTITY_V3', fallback: false },
    (text) => {
      const value = text.toLowerCase();
      return TRUE.includes(value) ? true : FALSE.includes(value) ? false : undefined;
    },
    'true or false',
  );
  const environment = setting(
    io,
    {
      flag: '--identity-environment',
      value: flags.identityEnvironment,
      variable: 'IDENTITY_ENVIRONMENT',
      fallback: 'test' as const,
    },
    (text) => {
      const environment = text.toLowerCase();
      return environment === 'test' || environment === 'integ' || environment === 'prod'
        ? environment
        : undefined;
    },
    'test, integ or prod',
  );
  return { scope, identityV3, environment };
}
