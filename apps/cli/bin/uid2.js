#!/usr/bin/env node
// Launcher of the `uid2` command: the built dist/main.js when present, otherwise the TypeScript
// sources through tsx (a development checkout; no build needed). tsx is resolved from this file,
// so the command works from any working directory.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/main.js', import.meta.url);

if (existsSync(built)) {
  await import(built.href);
} else {
  const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const tsx = import.meta.resolve('tsx');
  const result = spawnSync(
    process.execPath,
    ['--conditions=@uid2-operator/source', '--import', tsx, source, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exitCode = result.status ?? (result.signal === null ? 1 : 128);
}
