import type { EncryptionKeyInfo } from '@uid2-operator/db';
import type { Command } from 'commander';
import type { CliIo } from '../lib/cli-io.js';
import { withDatabase } from '../lib/database.js';
import { collect, integer } from '../lib/lists.js';
import { type Column, emit, formatTable, isoSeconds } from '../lib/output.js';
import { type DatabaseFlags, positiveInt, withDatabase as withDatabaseFlags } from './options.js';

/** Keyset ids of the master (−1) and refresh (−2) keysets (spec/internals.md §4.2). */
const MASTER_KEYSET_ID = -1;
const REFRESH_KEYSET_ID = -2;

function stateOf(key: EncryptionKeyInfo, nowSeconds: number): string {
  if (key.expiresSeconds <= nowSeconds) return 'expired';
  return key.activatesSeconds > nowSeconds ? 'pending' : 'usable';
}

/** Table columns of a key (never its secret). */
export function keyColumns(nowSeconds: number): Column<EncryptionKeyInfo>[] {
  return [
    { header: 'KEY', value: (k) => k.id },
    { header: 'KEYSET', value: (k) => k.keysetId },
    { header: 'STATE', value: (k) => stateOf(k, nowSeconds) },
    { header: 'ACTIVATES', value: (k) => isoSeconds(k.activatesSeconds) },
    { header: 'EXPIRES', value: (k) => isoSeconds(k.expiresSeconds) },
    { header: 'CREATED', value: (k) => isoSeconds(k.createdSeconds) },
  ];
}

interface RotateFlags extends DatabaseFlags {
  readonly master?: boolean;
  readonly refresh?: boolean;
  readonly keyset?: string[];
  readonly leadSeconds?: string;
  readonly lifetimeDays?: string;
  readonly maxTokenLifetimeSeconds?: string;
}

/** `uid2 key rotate|list`: encryption keys (spec/internals.md §4.3). */
export function registerKeyCommands(program: Command, io: CliIo): void {
  const key = program
    .command('key')
    .description('encryption keys: rotation and listing (secrets are never shown)');

  withDatabaseFlags(key.command('rotate'))
    .description(
      'add a new key per keyset that activates in the future; the keys it replaces expire after the longest token lifetime',
    )
    .option('--master', 'rotate the master keyset (-1)')
    .option('--refresh', 'rotate the refresh keyset (-2)')
    .option('--keyset <keysetId>', 'rotate this keyset (repeatable)', collect)
    .option('--lead-seconds <s>', 'new keys activate this long after now', '3600')
    .option('--lifetime-days <days>', 'lifetime of a new key after activation', '365')
    .option(
      '--max-token-lifetime-seconds <s>',
      'longest lifetime of anything encrypted with a key',
      '2592000',
    )
    .action(async (flags: RotateFlags) => {
      const keysetIds = [
        ...(flags.master === true ? [MASTER_KEYSET_ID] : []),
        ...(flags.refresh === true ? [REFRESH_KEYSET_ID] : []),
        ...(flags.keyset ?? []).map((id) => integer(id, '--keyset')),
      ];
      const nowMs = io.now();
      const created = await withDatabase(io, flags, (db) =>
        db.keys.rotateKeys({
          nowMs,
          ...(keysetIds.length === 0 ? {} : { keysetIds }),
          activationLeadSeconds: positiveInt(flags.leadSeconds, '--lead-seconds', 3600),
          keyLifetimeSeconds: positiveInt(flags.lifetimeDays, '--lifetime-days', 365) * 86_400,
          maxTokenLifetimeSeconds: positiveInt(
            flags.maxTokenLifetimeSeconds,
            '--max-token-lifetime-seconds',
            2_592_000,
          ),
        }),
      );
      await emit(
        io,
        flags,
        created,
        () =>
          `rotated ${created.length} keyset(s):\n${formatTable(keyColumns(Math.floor(nowMs / 1000)), created)}`,
      );
    });

  withDatabaseFlags(key.command('list'))
    .description('list keys')
    .option('--keyset <keysetId>', 'only this keyset')
    .action(async (flags: DatabaseFlags & { keyset?: string }) => {
      const keysetId = flags.keyset === undefined ? undefined : integer(flags.keyset, '--keyset');
      const keys = await withDatabase(io, flags, (db) =>
        db.keys.list(keysetId === undefined ? {} : { keysetId }),
      );
      await emit(io, flags, keys, () => formatTable(keyColumns(Math.floor(io.now() / 1000)), keys));
    });
}
