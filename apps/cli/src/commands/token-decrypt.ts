import { BidstreamClient, type DecryptionResult } from '@uid2-operator/client';
import type { Command } from 'commander';
import { CliError } from '../lib/cli-error.js';
import type { CliIo } from '../lib/cli-io.js';
import { clientFromFlags } from '../lib/client-config.js';
import { emit, formatRecord, isoMs } from '../lib/output.js';
import { type OperatorFlags, withOperator } from './options.js';

/** `uid2 token decrypt TOKEN`: fetches bidstream keys and decrypts locally, as a DSP does (spec/api.md §9.2). */
export function registerTokenDecrypt(token: Command, io: CliIo): void {
  withOperator(token.command('decrypt'))
    .description('decrypt an advertising token locally with keys from /v2/key/bidstream (role ID_READER)')
    .argument('<advertisingToken>')
    .option(
      '--domain <domainOrAppName>',
      'where the ad request came from (checked for client-side generated tokens)',
    )
    .action(async (advertisingToken: string, flags: OperatorFlags & { domain?: string }) => {
      const bidstream = new BidstreamClient({ client: await clientFromFlags(io, flags), now: io.now });
      await bidstream.refresh();
      const result = bidstream.decryptToken(advertisingToken, flags.domain);
      await emit(io, flags, result, () => describe(result));
      if (result.status !== 'SUCCESS') throw new CliError(`decryption failed: ${result.status}`);
    });
}

function describe(result: DecryptionResult): string {
  return formatRecord([
    ['status', result.status],
    ['raw UID2', result.uid],
    ['site', result.siteId],
    ['scope', result.identityScope],
    ['type', result.identityType],
    ['token version', result.advertisingTokenVersion],
    ['client-side generated', result.isClientSideGenerated],
    ['established', result.establishedMs === null ? null : isoMs(result.establishedMs)],
    ['expires', result.expiresMs === null ? null : isoMs(result.expiresMs)],
  ]);
}
