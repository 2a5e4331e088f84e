import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { processIo } from './lib/cli-io.js';
import { CLI_VERSION, buildProgram } from './program.js';
import { runUid2 } from './test-support/run-cli.js';

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((child) => {
    const path = [...prefix, child.name()];
    return [path, ...commandPaths(child, path)];
  });
}

describe('uid2 program', () => {
  const paths = commandPaths(buildProgram(processIo()));

  it('has the admin and client command groups of the brief', () => {
    const names = paths.map((p) => p.join(' '));
    for (const expected of [
      'db migrate',
      'db status',
      'site add',
      'site list',
      'site disable',
      'client add',
      'client list',
      'client disable',
      'client rotate-secret',
      'keyset add',
      'keyset list',
      'key rotate',
      'salts init',
      'salts rotate',
      'salts status',
      'optout add',
      'optout import',
      'optout status',
      'cstg keypair add',
      'token generate',
      'token refresh',
      'token validate',
      'token decrypt',
      'map',
      'keys fetch',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(paths.map((p) => [p.join(' '), p]))('prints help for "%s"', async (_name, path) => {
    const result = await runUid2([...path, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: uid2 ${path.join(' ')}`));
  });

  it('prints its version and top-level help', async () => {
    expect(await runUid2(['--version'])).toMatchObject({ code: 0, stdout: `${CLI_VERSION}\n` });
    expect((await runUid2(['--help'])).stdout).toMatch(/^Usage: uid2 \[options\] \[command\]/);
  });

  it('exits 2 with one line for usage mistakes', async () => {
    const unknown = await runUid2(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^uid2: unknown command 'frobnicate'/);
    const missing = await runUid2(['token', 'refresh', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--response-key <key>' not specified/);
    expect((await runUid2(['map', 'f', '--type', 'fax'])).stderr).toBe(
      'uid2: --type must be one of email, phone, email_hash, phone_hash\n',
    );
  });

  it('runs through the bin launcher from any directory', () => {
    const bin = fileURLToPath(new URL('../bin/uid2.js', import.meta.url));
    const result = spawnSync(process.execPath, [bin, '--version'], { cwd: '/', encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${CLI_VERSION}\n`);
    const failing = spawnSync(process.execPath, [bin, 'site', 'add'], { cwd: '/', encoding: 'utf8' });
    expect(failing.status).toBe(2);
  });
});
