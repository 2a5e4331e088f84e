import { hash } from 'node:crypto';
import type { Database } from '@uid2-operator/db';
import { diiHashOf } from '@uid2-operator/dii-normalize';
import type { IdentityScope, OptOutRecord } from '@uid2-operator/optout';
import { CliError } from './cli-error.js';
import type { IdentifierKind } from './identifiers.js';

/** Turns identifiers into opt-out records with the database's first-level salt. */
export interface OptOutRecordBuilder {
  /** The record for one identifier, or `null` when the identifier is invalid. */
  build(kind: IdentifierKind, value: string): OptOutRecord | null;
}

/**
 * A builder for this database (spec/internals.md §6.3): the identity hash from dii-normalize
 * (normalize + SHA-256, or the decoded hash), then the first-level hash
 * `SHA-256(base64(identity hash) ‖ first-level salt)` (spec/api.md §5.4) with the stored salt.
 *
 * The advertising id (the raw UID2 current at opt-out time, used by `/v2/optout/status`) is left
 * `null`: computing it needs the salt buckets' raw-UID derivation (salt-buckets), which the CLI
 * may not import and the db package does not offer yet. The store fills it in when the same
 * opt-out is added again with one.
 *
 * @param optedOutAtSeconds opt-out time, epoch seconds
 * @throws CliError when the salts are not initialized
 */
export async function optOutRecordBuilder(
  db: Database,
  scope: IdentityScope,
  optedOutAtSeconds: number,
): Promise<OptOutRecordBuilder> {
  const metadata = await db.salts.metadata();
  if (metadata === undefined) throw new CliError('salts are not initialized: run "uid2 salts init" first');
  const salt = metadata.firstLevelSalt;
  return {
    build(kind, value) {
      const type = kind === 'email' || kind === 'email_hash' ? 'email' : 'phone';
      const identityHash = diiHashOf(type, kind.endsWith('_hash') ? 'hash' : 'raw', value);
      if (identityHash === null) return null;
      const firstLevelHash = hash('sha256', identityHash.toString('base64') + salt, 'buffer');
      return { firstLevelHash, advertisingId: null, scope, type, optedOutAtSeconds };
    },
  };
}
