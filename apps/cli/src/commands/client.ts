import { API_KEY_ROLES, type ApiKeyInfo, type ApiKeyRole } from '@uid2-operator/db';
import type { Command } from 'commander';
import { usageError } from '../lib/cli-error.js';
import { type CliIo, writeText } from '../lib/cli-io.js';
import { withDatabase } from '../lib/database.js';
import { commaList, integer } from '../lib/lists.js';
import { type Column, emit, formatRecord, formatTable, isoSeconds } from '../lib/output.js';
import { type DatabaseFlags, withDatabase as withDatabaseFlags } from './options.js';
import { environmentOf, scopeOf } from './scope-options.js';

/** Table columns of an API key (never the key or secret). */
export const API_KEY_COLUMNS: readonly Column<ApiKeyInfo>[] = [
  { header: 'KEY ID', value: (k) => k.keyId },
  { header: 'SITE', value: (k) => k.siteId },
  { header: 'NAME', value: (k) => k.name },
  { header: 'ROLES', value: (k) => k.roles.join(',') },
  { header: 'DISABLED', value: (k) => k.disabled },
  { header: 'CREATED', value: (k) => isoSeconds(k.createdSeconds) },
];

interface ClientAddFlags extends DatabaseFlags {
  readonly site: string;
  readonly roles: string;
  readonly name?: string;
  readonly contact?: string;
  readonly serviceId?: string;
  readonly scope?: string;
  readonly env?: string;
}

/** Parses `--roles`. @throws CliError (usage) on an unknown or missing role */
export function rolesOf(text: string): ApiKeyRole[] {
  const roles = commaList(text).map((role) => role.toUpperCase());
  if (roles.length === 0) throw usageError('--roles needs at least one role');
  for (const role of roles) {
    if (!(API_KEY_ROLES as readonly string[]).includes(role)) {
      throw usageError(`unknown role ${role}; use GENERATOR, MAPPER, ID_READER, SHARER or OPTOUT`);
    }
  }
  return roles as ApiKeyRole[];
}

const SHOWN_ONCE =
  'Store the API key and secret now: they are not shown again (only a salted hash and the encrypted secret are kept).\n';

/** `uid2 client add|list|disable|enable|rotate-secret`: API keys of participants (spec/internals.md §5.1). */
export function registerClientCommands(program: Command, io: CliIo): void {
  const client = program.command('client').description('API keys ("clients") and their secrets');

  withDatabaseFlags(client.command('add'))
    .description('create an API key; prints the key and secret once')
    .requiredOption('--site <siteId>', 'site the key belongs to')
    .requiredOption('--roles <list>', 'comma-separated roles: GENERATOR, MAPPER, ID_READER, SHARER, OPTOUT')
    .option('--name <name>', 'display name', 'api key')
    .option('--contact <contact>', 'contact (e.g. an email address of the participant)')
    .option('--service-id <n>', 'service id (0 = none)')
    .option('--scope <scope>', 'key prefix scope: UID2 or EUID (default UID2)')
    .option('--env <environment>', 'key prefix environment: local, test, integ, prod (default local)')
    .action(async (flags: ClientAddFlags) => {
      const created = await withDatabase(io, flags, (db) =>
        db.apiKeys.create({
          siteId: integer(flags.site, '--site'),
          name: flags.name ?? 'api key',
          roles: rolesOf(flags.roles),
          ...(flags.contact === undefined ? {} : { contact: flags.contact }),
          ...(flags.serviceId === undefined ? {} : { serviceId: integer(flags.serviceId, '--service-id') }),
          ...(flags.scope === undefined ? {} : { scope: scopeOf(flags.scope) }),
          ...(flags.env === undefined ? {} : { environment: environmentOf(flags.env) }),
          nowMs: io.now(),
        }),
      );
      await emit(io, flags, { ...created.info, apiKey: created.key, secret: created.secret }, () =>
        formatRecord([
          ['key id', created.info.keyId],
          ['site', created.info.siteId],
          ['roles', created.info.roles.join(',')],
          ['API key', created.key],
          ['secret', created.secret],
        ]),
      );
      if (flags.json !== true) await writeText(io.stderr, SHOWN_ONCE);
    });

  withDatabaseFlags(client.command('list'))
    .description('list API keys (never their keys or secrets)')
    .option('--site <siteId>', 'only this site')
    .action(async (flags: DatabaseFlags & { site?: string }) => {
      const siteId = flags.site === undefined ? undefined : integer(flags.site, '--site');
      const keys = await withDatabase(io, flags, (db) =>
        db.apiKeys.list(siteId === undefined ? {} : { siteId }),
      );
      await emit(io, flags, keys, () => formatTable(API_KEY_COLUMNS, keys));
    });

  for (const [name, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    withDatabaseFlags(client.command(name))
      .description(`${name} an API key`)
      .argument('<keyId>', 'key id, e.g. UID2-C-L-999-fCXrM')
      .action(async (keyId: string, flags: DatabaseFlags) => {
        const info = await withDatabase(io, flags, (db) =>
          enabled ? db.apiKeys.enable(keyId) : db.apiKeys.disable(keyId),
        );
        await emit(io, flags, info, () => formatTable(API_KEY_COLUMNS, [info]));
      });
  }

  withDatabaseFlags(client.command('rotate-secret'))
    .description('replace the client secret of an API key; prints the new secret once')
    .argument('<keyId>')
    .action(async (keyId: string, flags: DatabaseFlags) => {
      const secret = await withDatabase(io, flags, (db) => db.apiKeys.rotateSecret(keyId));
      await emit(io, flags, { keyId, secret }, () =>
        formatRecord([
          ['key id', keyId],
          ['secret', secret],
        ]),
      );
      if (flags.json !== true)
        await writeText(io.stderr, 'Store the new secret now: it is not shown again.\n');
    });
}
