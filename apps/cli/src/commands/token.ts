import { type TokenGenerateResult, toSdkIdentity } from '@uid2-operator/client';
import type { Command } from 'commander';
import type { CliIo } from '../lib/cli-io.js';
import { clientFromFlags } from '../lib/client-config.js';
import { emit, formatRecord, isoMs } from '../lib/output.js';
import { type DiiFlags, type OperatorFlags, diiOf, withDii, withOperator } from './options.js';
import { registerTokenDecrypt } from './token-decrypt.js';

/** `uid2 token generate|refresh|validate|decrypt`: token endpoints of a running operator (spec/api.md §6). */
export function registerTokenCommands(program: Command, io: CliIo): void {
  const token = program
    .command('token')
    .description('generate, refresh, validate and decrypt tokens against an operator');

  withDii(withOperator(token.command('generate')))
    .description('POST /v2/token/generate: tokens for one email, phone or hash')
    .option('--tcf <consent>', 'EUID only: TCF consent string')
    .action(async (flags: OperatorFlags & DiiFlags & { tcf?: string }) => {
      const dii = diiOf(flags);
      const client = await clientFromFlags(io, flags);
      const result = await client.generateToken(dii, { tcfConsentString: flags.tcf });
      await printTokens(io, flags, result);
    });

  withOperator(token.command('refresh'))
    .description('POST /v2/token/refresh: new tokens from a refresh token (only --url is required)')
    .argument('<refreshToken>', 'the 388-character refresh_token')
    .requiredOption('--response-key <key>', 'the refresh_response_key issued with that refresh token')
    .action(async (refreshToken: string, flags: OperatorFlags & { responseKey: string }) => {
      const client = await clientFromFlags(io, flags, { urlOnly: true });
      await printTokens(
        io,
        flags,
        await client.refreshToken({ refreshToken, refreshResponseKey: flags.responseKey }),
      );
    });

  withDii(withOperator(token.command('validate')))
    .description('POST /v2/token/validate: does the advertising token hold this identity?')
    .argument('<advertisingToken>', 'an advertising token issued to this API key')
    .action(async (advertisingToken: string, flags: OperatorFlags & DiiFlags) => {
      const dii = diiOf(flags);
      const client = await clientFromFlags(io, flags);
      const valid = await client.validateToken(advertisingToken, dii);
      await emit(io, flags, { valid }, () =>
        valid ? 'valid: the token holds this identity\n' : 'invalid: the token does not hold this identity\n',
      );
    });

  registerTokenDecrypt(token, io);
}

async function printTokens(io: CliIo, flags: OperatorFlags, result: TokenGenerateResult): Promise<void> {
  if (result.status !== 'success') {
    await emit(io, flags, { status: result.status }, () => `status: ${result.status} (no tokens issued)\n`);
    return;
  }
  const { identity } = result;
  await emit(io, flags, { status: 'success', identity: toSdkIdentity(identity) }, () =>
    formatRecord([
      ['advertising_token', identity.advertisingToken],
      ['refresh_token', identity.refreshToken],
      ['refresh_response_key', identity.refreshResponseKey],
      ['identity_expires', isoMs(identity.identityExpiresMs)],
      ['refresh_from', isoMs(identity.refreshFromMs)],
      ['refresh_expires', isoMs(identity.refreshExpiresMs)],
    ]),
  );
}
