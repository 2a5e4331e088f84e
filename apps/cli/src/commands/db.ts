import type { Command } from 'commander';
import type { CliIo } from '../lib/cli-io.js';
import { withDatabase } from '../lib/database.js';
import { emit, formatTable, isoMs } from '../lib/output.js';
import { type DatabaseFlags, withDatabase as withDatabaseFlags } from './options.js';

/** `uid2 db migrate|status`: the schema migrations of the database (packages/db). */
export function registerDbCommands(program: Command, io: CliIo): void {
  const db = program.command('db').description('database schema: apply and inspect migrations');

  withDatabaseFlags(db.command('migrate'))
    .description('apply pending migrations')
    .action(async (flags: DatabaseFlags) => {
      const applied = await withDatabase(io, flags, (database) => database.migrate(), { migrate: 'never' });
      await emit(io, flags, { applied }, () =>
        applied.length === 0
          ? 'database schema is up to date\n'
          : `applied ${applied.length} migration(s):\n${applied.map((n) => `  ${n}\n`).join('')}`,
      );
    });

  withDatabaseFlags(db.command('status'))
    .description('list applied and pending migrations')
    .action(async (flags: DatabaseFlags) => {
      const { engine, status } = await withDatabase(
        io,
        flags,
        async (database) => ({ engine: database.engine, status: await database.migrationStatus() }),
        { migrate: 'never' },
      );
      await emit(io, flags, { engine, ...status }, () => {
        const rows = [
          ...status.applied.map((m) => ({ name: m.name, state: 'applied', at: isoMs(m.finishedAtMs) })),
          ...status.pending.map((name) => ({ name, state: 'pending', at: undefined })),
        ];
        const table = formatTable(
          [
            { header: 'MIGRATION', value: (r: (typeof rows)[number]) => r.name },
            { header: 'STATE', value: (r) => r.state },
            { header: 'APPLIED AT', value: (r) => r.at },
          ],
          rows,
        );
        const summary =
          status.pending.length === 0
            ? 'up to date'
            : `${status.pending.length} pending: run "uid2 db migrate"`;
        return `engine: ${engine}\n${table}${summary}\n`;
      });
    });
}
