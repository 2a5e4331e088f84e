import type { SiteRecord } from '@uid2-operator/db';
import type { Command } from 'commander';
import type { CliIo } from '../lib/cli-io.js';
import { withDatabase } from '../lib/database.js';
import { commaList, integer } from '../lib/lists.js';
import { type Column, emit, formatTable, isoSeconds } from '../lib/output.js';
import { type DatabaseFlags, withDatabase as withDatabaseFlags } from './options.js';

/** Table columns of a site. */
export const SITE_COLUMNS: readonly Column<SiteRecord>[] = [
  { header: 'ID', value: (s) => s.id },
  { header: 'NAME', value: (s) => s.name },
  { header: 'ENABLED', value: (s) => s.enabled },
  { header: 'DOMAINS', value: (s) => s.domainNames.join(',') },
  { header: 'APPS', value: (s) => s.appNames.join(',') },
  { header: 'CREATED', value: (s) => isoSeconds(s.createdSeconds) },
];

interface SiteAddFlags extends DatabaseFlags {
  readonly id: string;
  readonly name: string;
  readonly domains?: string;
  readonly apps?: string;
}

/** `uid2 site add|list|disable|enable`: participant sites (spec/internals.md §5.2). */
export function registerSiteCommands(program: Command, io: CliIo): void {
  const site = program.command('site').description('participant sites and their CSTG domains / app names');

  withDatabaseFlags(site.command('add'))
    .description('create a site')
    .requiredOption('--id <siteId>', 'site id (an integer > 2)')
    .requiredOption('--name <name>', 'display name')
    .option('--domains <list>', 'comma-separated domain names allowed for client-side token generation')
    .option('--apps <list>', 'comma-separated mobile app names allowed for client-side token generation')
    .action(async (flags: SiteAddFlags) => {
      const created = await withDatabase(io, flags, (db) =>
        db.sites.create({
          id: integer(flags.id, '--id'),
          name: flags.name,
          domainNames: commaList(flags.domains),
          appNames: commaList(flags.apps),
          nowMs: io.now(),
        }),
      );
      await emit(io, flags, created, () => formatTable(SITE_COLUMNS, [created]));
    });

  withDatabaseFlags(site.command('list'))
    .description('list sites')
    .action(async (flags: DatabaseFlags) => {
      const sites = await withDatabase(io, flags, (db) => db.sites.list());
      await emit(io, flags, sites, () => formatTable(SITE_COLUMNS, sites));
    });

  for (const [name, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    withDatabaseFlags(site.command(name))
      .description(`${name} a site`)
      .argument('<siteId>')
      .action(async (siteId: string, flags: DatabaseFlags) => {
        const id = integer(siteId, 'siteId');
        const updated = await withDatabase(io, flags, (db) =>
          enabled ? db.sites.enable(id) : db.sites.disable(id),
        );
        await emit(io, flags, updated, () => formatTable(SITE_COLUMNS, [updated]));
      });
  }
}
