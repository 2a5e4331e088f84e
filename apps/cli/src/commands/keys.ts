import type { KeysResponse, ServedKey } from '@uid2-operator/client';
import type { Command } from 'commander';
import type { CliIo } from '../lib/cli-io.js';
import { clientFromFlags } from '../lib/client-config.js';
import { emit, formatRecord, formatTable, isoSeconds } from '../lib/output.js';
import { type OperatorFlags, withOperator } from './options.js';

/** What `keys fetch` shows of a key: everything but the secret. */
function publicKey(key: ServedKey): Omit<ServedKey, 'secret'> {
  return {
    id: key.id,
    keysetId: key.keysetId,
    siteId: key.siteId,
    createdSeconds: key.createdSeconds,
    activatesSeconds: key.activatesSeconds,
    expiresSeconds: key.expiresSeconds,
  };
}

/** `uid2 keys fetch`: downloads the SDK keys of the API key (spec/api.md §9), never printing secrets. */
export function registerKeysCommands(program: Command, io: CliIo): void {
  const keys = program.command('keys').description('SDK key downloads from a running operator');

  withOperator(keys.command('fetch'))
    .description(
      'download /v2/key/bidstream (default) or /v2/key/sharing and list the keys (not their secrets)',
    )
    .option('--sharing', 'use /v2/key/sharing (role SHARER or ID_READER) instead of /v2/key/bidstream')
    .action(async (flags: OperatorFlags & { sharing?: boolean }) => {
      const client = await clientFromFlags(io, flags);
      const response: KeysResponse =
        flags.sharing === true ? await client.keySharing() : await client.keyBidstream();
      const { keys: served, ...rest } = response;
      await emit(io, flags, { ...rest, keys: served.map(publicKey) }, () => {
        const header = formatRecord([
          ['endpoint', `/v2/key/${response.source}`],
          ['identity scope', response.identityScope],
          ['allow clock skew (s)', response.allowClockSkewSeconds],
          ...(response.source === 'sharing'
            ? ([
                ['caller site', response.callerSiteId],
                ['default keyset', response.defaultKeysetId],
                ['token expiry (s)', response.tokenExpirySeconds],
                ['max sharing lifetime (s)', response.maxSharingLifetimeSeconds],
              ] as const)
            : ([['max bidstream lifetime (s)', response.maxBidstreamLifetimeSeconds]] as const)),
          ['sites with domains', response.siteData.length],
        ]);
        const table = formatTable(
          [
            { header: 'KEY', value: (k: ServedKey) => k.id },
            { header: 'KEYSET', value: (k) => k.keysetId },
            { header: 'ACTIVATES', value: (k) => isoSeconds(k.activatesSeconds) },
            { header: 'EXPIRES', value: (k) => isoSeconds(k.expiresSeconds) },
          ],
          served,
        );
        return `${header}\n${table}`;
      });
    });
}
