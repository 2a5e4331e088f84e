#!/usr/bin/env node
// Generates the Prisma client only when it is missing or older than the schema, so `npm start`
// does not pay for the Prisma CLI on every start. Offline-safe: see TOOLCHAIN notes in the README.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const schema = `${root}prisma/schema.prisma`;
const client = `${root}src/generated/prisma/client.ts`;

if (existsSync(client) && statSync(client).mtimeMs >= statSync(schema).mtimeMs) process.exit(0);

const result = spawnSync('npm', ['run', 'generate', '--silent'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: 'package.json', CHECKPOINT_DISABLE: '1' },
});
process.exit(result.status ?? 1);
