import type { ClientKeypairInfo } from '@uid2-operator/db';
import type { Command } from 'commander';
import { usageError } from '../lib/cli-error.js';
import type { CliIo } from '../lib/cli-io.js';
import { withDatabase } from '../lib/database.js';
import { commaList, integer } from '../lib/lists.js';
import { type Column, emit, formatRecord, formatTable, isoSeconds } from '../lib/output.js';
import { type DatabaseFlags, withDatabase as withDatabaseFlags } from './options.js';
import { environmentOf, scopeOf } from './scope-options.js';

/** Table columns of a client-side keypair (the public key only). */
export const KEYPAIR_COLUMNS: readonly Column<ClientKeypairInfo>[] = [
  { header: 'SUBSCRIPTION', value: (k) => k.subscriptionId },
  { header: 'SITE', value: (k) => k.siteId },
  { header: 'NAME', value: (k) => k.name },
  { header: 'DISABLED', value: (k) => k.disabled },
  { header: 'CREATED', value: (k) => isoSeconds(k.createdSeconds) },
  { header: 'PUBLIC KEY', value: (k) => k.publicKey },
];

interface KeypairAddFlags extends DatabaseFlags {
  readonly site: string;
  readonly domains?: string;
  readonly apps?: string;
  readonly name?: string;
  readonly contact?: string;
  readonly scope?: string;
  readonly env?: string;
}

function union(existing: readonly string[], added: readonly string[], fold: (s: string) => string): string[] {
  const seen = new Set(existing.map(fold));
  const out = [...existing];
  for (const item of added) {
    if (!seen.has(fold(item))) {
      seen.add(fold(item));
      out.push(item);
    }
  }
  return out;
}

/** `uid2 cstg keypair add|list|disable`: client-side token generation keypairs (spec/internals.md §5.2). */
export function registerCstgCommands(program: Command, io: CliIo): void {
  const keypair = program
    .command('cstg')
    .description('client-side token generation (CSTG)')
    .command('keypair')
    .description('CSTG keypairs: subscription ids and public keys for publishers');

  withDatabaseFlags(keypair.command('add'))
    .description("create a keypair for a site and add the domains / app names to the site's allowed list")
    .requiredOption('--site <siteId>', 'the publisher site')
    .option(
      '--domains <list>',
      'comma-separated domains allowed to call client-side generation, e.g. a.com,b.com',
    )
    .option('--apps <list>', 'comma-separated mobile app names')
    .option('--name <name>', 'display name')
    .option('--contact <contact>', 'contact')
    .option('--scope <scope>', 'key prefix scope: UID2 or EUID (default UID2)')
    .option('--env <environment>', 'key prefix environment: local, test, integ, prod (default local)')
    .action(async (flags: KeypairAddFlags) => {
      const siteId = integer(flags.site, '--site');
      const domains = commaList(flags.domains);
      const apps = commaList(flags.apps);
      if (domains.length === 0 && apps.length === 0)
        throw usageError('give --domains and/or --apps: CSTG needs an allowed origin or app');
      const { created, site } = await withDatabase(io, flags, async (db) => {
        const info = await db.keypairs.addKeypair({
          siteId,
          ...(flags.name === undefined ? {} : { name: flags.name }),
          ...(flags.contact === undefined ? {} : { contact: flags.contact }),
          ...(flags.scope === undefined ? {} : { scope: scopeOf(flags.scope) }),
          ...(flags.env === undefined ? {} : { environment: environmentOf(flags.env) }),
          nowMs: io.now(),
        });
        const current = await db.sites.get(siteId);
        const updated = await db.sites.update(siteId, {
          domainNames: union(current?.domainNames ?? [], domains, (d) => d.toLowerCase()),
          appNames: union(current?.appNames ?? [], apps, (a) => a.toLowerCase()),
        });
        return { created: info, site: updated };
      });
      await emit(io, flags, { ...created, domainNames: site.domainNames, appNames: site.appNames }, () =>
        formatRecord([
          ['subscription id', created.subscriptionId],
          ['site', created.siteId],
          ['public key', created.publicKey],
          ['site domains', site.domainNames.join(',')],
          ['site apps', site.appNames.join(',')],
        ]),
      );
    });

  withDatabaseFlags(keypair.command('list'))
    .description('list keypairs (public keys only)')
    .option('--site <siteId>', 'only this site')
    .action(async (flags: DatabaseFlags & { site?: string }) => {
      const siteId = flags.site === undefined ? undefined : integer(flags.site, '--site');
      const keypairs = await withDatabase(io, flags, (db) =>
        db.keypairs.list(siteId === undefined ? {} : { siteId }),
      );
      await emit(io, flags, keypairs, () => formatTable(KEYPAIR_COLUMNS, keypairs));
    });

  withDatabaseFlags(keypair.command('disable'))
    .description('disable a keypair (its client-side requests get 401)')
    .argument('<subscriptionId>')
    .action(async (subscriptionId: string, flags: DatabaseFlags) => {
      const info = await withDatabase(io, flags, (db) => db.keypairs.disable(subscriptionId));
      await emit(io, flags, info, () => formatTable(KEYPAIR_COLUMNS, [info]));
    });
}
