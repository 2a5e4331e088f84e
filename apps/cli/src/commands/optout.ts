import type { Command } from 'commander';
import { usageError } from '../lib/cli-error.js';
import type { CliIo } from '../lib/cli-io.js';
import { clientFromFlags } from '../lib/client-config.js';
import { emit, formatTable, isoMs } from '../lib/output.js';
import { type OperatorFlags, withOperator } from './options.js';
import { registerOptOutAdmin } from './optout-admin.js';

/** `uid2 optout add|import|status`: record opt-outs (database) and query them (operator). */
export function registerOptOutCommands(program: Command, io: CliIo): void {
  const optout = program
    .command('optout')
    .description('opt-outs: record them in the database, query them on an operator');
  registerOptOutAdmin(optout, io);

  withOperator(optout.command('status'))
    .description('POST /v2/optout/status: which raw UID2s are opted out')
    .argument('<rawUid...>', 'raw UID2s (base64)')
    .action(async (rawUids: string[], flags: OperatorFlags) => {
      if (rawUids.length === 0) throw usageError('give at least one raw UID2');
      const client = await clientFromFlags(io, flags);
      const optedOut = await client.optoutStatus(rawUids);
      await emit(io, flags, { optedOut }, () =>
        optedOut.length === 0
          ? `none of the ${rawUids.length} raw UID2s is opted out\n`
          : formatTable(
              [
                { header: 'RAW UID2', value: (o: (typeof optedOut)[number]) => o.advertisingId },
                { header: 'OPTED OUT SINCE', value: (o) => isoMs(o.optedOutSinceMs) },
              ],
              optedOut,
            ),
      );
    });
}
