import type { CredentialEnvironment, CredentialScope } from '@uid2-operator/db';
import { usageError } from '../lib/cli-error.js';

const SCOPES: readonly CredentialScope[] = ['UID2', 'EUID'];
const ENVIRONMENTS: readonly CredentialEnvironment[] = ['local', 'test', 'integ', 'prod'];

/** Parses `--scope` (UID2 or EUID). @throws CliError (usage) */
export function scopeOf(text: string | undefined): CredentialScope | undefined {
  if (text === undefined) return undefined;
  const scope = text.toUpperCase();
  if (!(SCOPES as readonly string[]).includes(scope)) throw usageError('--scope must be UID2 or EUID');
  return scope as CredentialScope;
}

/** Parses `--env` (local, test, integ, prod). @throws CliError (usage) */
export function environmentOf(text: string | undefined): CredentialEnvironment | undefined {
  if (text === undefined) return undefined;
  const environment = text.toLowerCase();
  if (!(ENVIRONMENTS as readonly string[]).includes(environment))
    throw usageError('--env must be local, test, integ or prod');
  return environment as CredentialEnvironment;
}
