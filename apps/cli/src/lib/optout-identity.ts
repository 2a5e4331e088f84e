import type { Database, OptOutIdentity } from '@uid2-operator/db';
import { diiHashOf } from '@uid2-operator/dii-normalize';
import { CliError } from './cli-error.js';
import type { IdentifierKind } from './identifiers.js';

/**
 * The identity to opt out for one identifier (spec/internals.md §3.1–3.2): type and identity
 * bytes from dii-normalize (SHA-256 of the normalized email or phone, or the decoded hash), or
 * `null` when the identifier is invalid. The db package turns it into the first-level hash and
 * the current raw UID with the stored salts (`optouts.addIdentities`).
 */
export function optOutIdentityOf(kind: IdentifierKind, value: string): OptOutIdentity | null {
  const type = kind === 'email' || kind === 'email_hash' ? 'email' : 'phone';
  const diiHash = diiHashOf(type, kind.endsWith('_hash') ? 'hash' : 'raw', value);
  return diiHash === null ? null : { type, diiHash };
}

/** @throws CliError when the salts are not initialized (nothing can be opted out yet) */
export async function requireSalts(db: Database): Promise<void> {
  if ((await db.salts.metadata()) === undefined)
    throw new CliError('salts are not initialized: run "uid2 salts init" first');
}
