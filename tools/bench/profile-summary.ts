/**
 * Prints the top functions of `.cpuprofile` files (from `npm run bench -- --cpu-prof DIR` or any
 * `node --cpu-prof` run):
 *
 *   node --import tsx tools/bench/profile-summary.ts [--top 25] FILE_OR_DIR...
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatProfileSummary, summarizeCpuProfile } from './lib/cpu-profile.js';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' } },
  allowPositionals: true,
});
const root = resolve(import.meta.dirname, '../..');
const files = positionals.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(p, f))
    : [p],
);
if (files.length === 0) {
  process.stderr.write('usage: profile-summary.ts [--top N] FILE.cpuprofile|DIR ...\n');
  process.exit(2);
}
for (const file of files) {
  process.stdout.write(
    `${formatProfileSummary(file, summarizeCpuProfile(file, root, Number(values.top)))}\n\n`,
  );
}
