import type { KeysetRecord } from '@uid2-operator/db';
import type { Command } from 'commander';
import { usageError } from '../lib/cli-error.js';
import type { CliIo } from '../lib/cli-io.js';
import { withDatabase } from '../lib/database.js';
import { integer, integerList } from '../lib/lists.js';
import { type Column, emit, formatTable, isoSeconds } from '../lib/output.js';
import { type DatabaseFlags, positiveInt, withDatabase as withDatabaseFlags } from './options.js';

/** Table columns of a keyset. */
export const KEYSET_COLUMNS: readonly Column<KeysetRecord>[] = [
  { header: 'KEYSET', value: (k) => k.keysetId },
  { header: 'SITE', value: (k) => k.siteId },
  { header: 'NAME', value: (k) => k.name },
  { header: 'DEFAULT', value: (k) => k.isDefault },
  { header: 'ENABLED', value: (k) => k.enabled },
  {
    header: 'ALLOWED SITES',
    value: (k) => (k.allowedSites === null ? 'any ID_READER' : k.allowedSites.join(',') || 'none'),
  },
  { header: 'CREATED', value: (k) => isoSeconds(k.createdSeconds) },
];

interface KeysetAddFlags extends DatabaseFlags {
  readonly site: string;
  readonly id?: string;
  readonly name?: string;
  readonly default?: boolean;
  readonly allowedSites?: string;
  readonly key: boolean;
  readonly keyLifetimeDays?: string;
}

const DAY_SECONDS = 86_400;

/** Parses `--allowed-sites`: a list, `none` (empty list) or `any` (no list). @throws CliError (usage) */
export function allowedSitesOf(text: string | undefined): number[] | null | undefined {
  if (text === undefined) return undefined;
  if (text.trim().toLowerCase() === 'any') return null;
  if (text.trim().toLowerCase() === 'none') return [];
  const sites = integerList(text, '--allowed-sites');
  if (sites.length === 0) throw usageError('--allowed-sites needs site ids, "none" or "any"');
  return sites;
}

/** `uid2 keyset add|list`: keysets (spec/internals.md §4.1); `add` also creates the first key. */
export function registerKeysetCommands(program: Command, io: CliIo): void {
  const keyset = program.command('keyset').description('keysets: who owns and who may read encryption keys');

  withDatabaseFlags(keyset.command('add'))
    .description('create a keyset and its first key (active now)')
    .requiredOption('--site <siteId>', 'owning site')
    .option('--id <keysetId>', 'keyset id (default: next free)')
    .option('--name <name>', 'display name')
    .option('--default', "make it the site's default keyset (tokens are encrypted with it)")
    .option(
      '--allowed-sites <list>',
      'sites that may read its keys: ids, "none", or "any" (any ID_READER; default)',
    )
    .option('--no-key', 'do not create a first key')
    .option('--key-lifetime-days <days>', 'lifetime of the first key', '365')
    .action(async (flags: KeysetAddFlags) => {
      const nowMs = io.now();
      const lifetimeDays = positiveInt(flags.keyLifetimeDays, '--key-lifetime-days', 365);
      const allowedSites = allowedSitesOf(flags.allowedSites);
      const { created, keyId } = await withDatabase(io, flags, async (db) => {
        const record = await db.keysets.create({
          siteId: integer(flags.site, '--site'),
          ...(flags.id === undefined ? {} : { keysetId: integer(flags.id, '--id') }),
          ...(flags.name === undefined ? {} : { name: flags.name }),
          ...(allowedSites === undefined ? {} : { allowedSites }),
          isDefault: flags.default === true,
          nowMs,
        });
        if (!flags.key) return { created: record, keyId: undefined };
        const nowSeconds = Math.floor(nowMs / 1000);
        const key = await db.keys.add({
          keysetId: record.keysetId,
          nowMs,
          activatesSeconds: nowSeconds,
          expiresSeconds: nowSeconds + lifetimeDays * DAY_SECONDS,
        });
        return { created: record, keyId: key.id };
      });
      await emit(
        io,
        flags,
        { ...created, firstKeyId: keyId ?? null },
        () => formatTable(KEYSET_COLUMNS, [created]) + (keyId === undefined ? '' : `first key: ${keyId}\n`),
      );
    });

  withDatabaseFlags(keyset.command('list'))
    .description('list keysets')
    .action(async (flags: DatabaseFlags) => {
      const keysets = await withDatabase(io, flags, (db) => db.keysets.list());
      await emit(io, flags, keysets, () => formatTable(KEYSET_COLUMNS, keysets));
    });
}
