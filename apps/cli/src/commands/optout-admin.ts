import { join } from 'node:path';
import type { Command } from 'commander';
import { usageError } from '../lib/cli-error.js';
import type { CliIo } from '../lib/cli-io.js';
import { dataDirOf } from '../lib/client-config.js';
import { checkpointPath } from '../lib/checkpoint.js';
import { databaseIdentity, withDatabase } from '../lib/database.js';
import { type IdentifierKind, parseKind } from '../lib/identifiers.js';
import { type IdentityFlags, identitySettingsOf, withIdentitySettings } from '../lib/identity-settings.js';
import { openInput } from '../lib/input-file.js';
import { importOptOuts } from '../lib/optout-import.js';
import { optOutIdentityOf, requireSalts } from '../lib/optout-identity.js';
import { emit, formatRecord, isoMs } from '../lib/output.js';
import {
  type DatabaseFlags,
  type DiiFlags,
  positiveInt,
  withDatabase as withDatabaseFlags,
  withDii,
} from './options.js';

function diiFlag(flags: DiiFlags): { kind: IdentifierKind; value: string } {
  const given = (
    [
      ['email', flags.email],
      ['phone', flags.phone],
      ['email_hash', flags.emailHash],
      ['phone_hash', flags.phoneHash],
    ] as const
  ).filter((entry): entry is readonly [IdentifierKind, string] => entry[1] !== undefined);
  const [only] = given;
  if (given.length !== 1 || only === undefined)
    throw usageError('give exactly one of --email, --phone, --email-hash, --phone-hash');
  return { kind: only[0], value: only[1] };
}

interface SnapshotFlags extends DatabaseFlags {
  readonly write?: boolean;
  readonly drop?: boolean;
}

interface ImportFlags extends DatabaseFlags, IdentityFlags {
  readonly type?: string;
  readonly batchSize?: string;
  readonly checkpointDir?: string;
}

/**
 * `uid2 optout add|import|snapshot`: record opt-outs in the database (spec/internals.md §6.3) as
 * the operator's `/v2/token/logout` does: first-level hash and current raw UID (advertising id),
 * with the stored salts and the operator's identity settings; show, rebuild or drop the stored
 * opt-out index snapshot operators start from.
 */
export function registerOptOutAdmin(optout: Command, io: CliIo): void {
  withIdentitySettings(withDii(withDatabaseFlags(optout.command('add'))))
    .description('record an opt-out for one email, phone or hash')
    .action(async (flags: DatabaseFlags & DiiFlags & IdentityFlags) => {
      const { kind, value } = diiFlag(flags);
      const identity = optOutIdentityOf(kind, value);
      if (identity === null) throw usageError(`not a valid ${kind.replace('_', ' ')}`);
      const settings = identitySettingsOf(io, flags);
      const { inserted } = await withDatabase(io, flags, async (db) => {
        await requireSalts(db);
        return db.optouts.addIdentities({
          identities: [identity],
          ...settings,
          optedOutAtSeconds: Math.floor(io.now() / 1000),
        });
      });
      await emit(io, flags, { inserted: inserted === 1 }, () =>
        inserted === 1 ? 'opt-out recorded\n' : 'already opted out (nothing changed)\n',
      );
    });

  withDatabaseFlags(optout.command('snapshot'))
    .description(
      'show the stored opt-out index snapshot operators start from; --write rebuilds it from every record (after a bulk import), --drop deletes it',
    )
    .option('--write', 'build the index from every opt-out record and store its snapshot')
    .option('--drop', 'delete every stored snapshot (the next operator start reads every record)')
    .action(async (flags: SnapshotFlags) => {
      if (flags.write === true && flags.drop === true)
        throw usageError('give at most one of --write, --drop');
      const started = io.now();
      const { dropped, snapshot } = await withDatabase(io, flags, async (db) => {
        if (flags.drop === true) return { dropped: await db.optouts.deleteSnapshots(), snapshot: null };
        const written =
          flags.write === true ? await db.optouts.rebuildSnapshot() : await db.optouts.latestSnapshot();
        return { dropped: 0, snapshot: written };
      });
      const seconds = (io.now() - started) / 1000;
      await emit(io, flags, flags.drop === true ? { dropped } : { snapshot, seconds }, () => {
        if (flags.drop === true) return `deleted ${dropped} snapshot(s)\n`;
        if (snapshot === null) return 'no opt-out snapshot stored: operators read every record at start\n';
        return formatRecord([
          ['opt-outs', snapshot.entries],
          ['through seq', snapshot.throughSeq],
          ['bytes', snapshot.bytes],
          ['created', isoMs(snapshot.createdMs)],
          ...(flags.write === true ? ([['seconds', seconds.toFixed(1)]] as const) : []),
        ]);
      });
    });

  withIdentitySettings(withDatabaseFlags(optout.command('import')))
    .description('import opt-outs from a CSV of emails, phones or hashes: batched, resumable, idempotent')
    .argument(
      '<file>',
      'CSV: identifier per row, optionally with a type column or header ("-" for stdin, not resumable)',
    )
    .option('--type <kind>', 'kind of every identifier: email, phone, email_hash or phone_hash')
    .option('--batch-size <n>', 'rows per transaction', '5000')
    .option('--checkpoint-dir <dir>', 'where progress is kept between runs (default: <data dir>/checkpoints)')
    .action(async (name: string, flags: ImportFlags) => {
      const input = await openInput(io, name);
      const batchSize = positiveInt(flags.batchSize, '--batch-size', 5_000, 100_000);
      const identity = identitySettingsOf(io, flags);
      const dir = flags.checkpointDir ?? join(dataDirOf(io, flags.dataDir), 'checkpoints');
      const checkpoint =
        input.path === '-'
          ? undefined
          : checkpointPath(dir, 'optout-import', input.path, databaseIdentity(io, flags));
      const started = io.now();
      const result = await withDatabase(io, flags, (db) =>
        importOptOuts(io, db, {
          input,
          identity,
          fixedKind: parseKind(flags.type),
          batchSize,
          checkpoint,
          optedOutAtSeconds: Math.floor(started / 1000),
        }),
      );
      const { counts, resumedRows } = result;
      await emit(io, flags, { ...counts, resumedRows, seconds: (io.now() - started) / 1000 }, () =>
        formatRecord([
          ['read', counts.read],
          ['inserted', counts.inserted],
          ['already present', counts.alreadyPresent],
          ['invalid', counts.invalid],
          ...(resumedRows > 0 ? ([['resumed after row', resumedRows]] as const) : []),
        ]),
      );
    });
}
