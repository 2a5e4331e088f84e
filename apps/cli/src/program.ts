import { Command, CommanderError } from 'commander';
import { registerClientCommands } from './commands/client.js';
import { registerCstgCommands } from './commands/cstg.js';
import { registerDbCommands } from './commands/db.js';
import { registerKeyCommands } from './commands/key.js';
import { registerKeysetCommands } from './commands/keyset.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerMapCommand } from './commands/map.js';
import { registerOptOutCommands } from './commands/optout.js';
import { registerSaltsCommands } from './commands/salts.js';
import { registerSiteCommands } from './commands/site.js';
import { registerTokenCommands } from './commands/token.js';
import { describeError, exitCodeOf } from './lib/cli-error.js';
import type { CliIo } from './lib/cli-io.js';

/** Version printed by `uid2 --version`. */
export const CLI_VERSION = '0.1.0';

/**
 * Builds the `uid2` command tree (commander). Output goes to `io`; commander errors throw instead
 * of exiting, so {@link runCli} decides the exit code.
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('uid2')
    .description('Admin commands for a UID2 operator database, and client commands for a running operator.')
    .version(CLI_VERSION)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(text.replace(/^error: /, 'uid2: ')),
    })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  registerDbCommands(program, io);
  registerSiteCommands(program, io);
  registerClientCommands(program, io);
  registerKeysetCommands(program, io);
  registerKeyCommands(program, io);
  registerSaltsCommands(program, io);
  registerCstgCommands(program, io);
  registerOptOutCommands(program, io);
  registerTokenCommands(program, io);
  registerMapCommand(program, io);
  registerKeysCommands(program, io);
  return program;
}

/**
 * Runs one command line (without the `node` and script arguments).
 * @returns the process exit code: 0 success, 1 failure, 2 usage error
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      return error.code === 'commander.executeSubCommandAsync' ? 1 : 2;
    }
    io.stderr.write(`uid2: ${describeError(error)}\n`);
    return exitCodeOf(error);
  }
}
