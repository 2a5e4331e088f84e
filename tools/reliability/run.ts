/**
 * Reliability and security suite of issue 7 (see README.md):
 *
 *   npm run reliability [-- --only fuzz,auth] [--quick] [--keep] [--fuzz-cases N] [--load-seconds N] [--seed N]
 *
 * Runs each scenario against real operator processes on 127.0.0.1, prints a summary table and
 * writes one JSON line per scenario to tools/reliability/results/reliability-results.jsonl.
 * Exit code 0 when no scenario failed (pending ones do not fail the run).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ScenarioReport, type ScenarioResult, summaryTable } from './lib/report.js';
import { SuiteContext } from './lib/suite-context.js';
import { runAuth } from './scenarios/auth.js';
import { runFaults } from './scenarios/faults.js';
import { runFuzz } from './scenarios/fuzz.js';
import { runLoad } from './scenarios/load.js';
import { runSecurity } from './scenarios/security.js';

type Runner = (ctx: SuiteContext, report: ScenarioReport) => Promise<void>;

/** In run order; security last, so its log scan covers every process the suite started. */
const SCENARIOS: readonly (readonly [string, Runner])[] = [
  ['fuzz', runFuzz],
  ['auth', runAuth],
  ['faults', runFaults],
  ['load', runLoad],
  ['security', runSecurity],
];

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    quick: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'fuzz-cases': { type: 'string' },
    'load-seconds': { type: 'string' },
    seed: { type: 'string', default: '7007' },
  },
});
const only = (values.only ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '');
const unknown = only.filter((name) => !SCENARIOS.some(([n]) => n === name));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map(([n]) => n).join(', ')}\n`,
  );
  process.exit(2);
}

const ctx = await SuiteContext.create({
  quick: values.quick,
  keep: values.keep,
  fuzzCases: values['fuzz-cases'] === undefined ? undefined : Number(values['fuzz-cases']),
  loadSeconds: values['load-seconds'] === undefined ? undefined : Number(values['load-seconds']),
  seed: Number(values.seed),
});
const results: ScenarioResult[] = [];
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
const resultsFile = join(resultsDir, 'reliability-results.jsonl');
process.stdout.write(`reliability suite: work directory ${ctx.workDir}${values.quick ? ' (quick)' : ''}\n`);
try {
  for (const [name, run] of SCENARIOS) {
    if (only.length > 0 && !only.includes(name)) continue;
    process.stdout.write(`\n== ${name}\n`);
    const report = new ScenarioReport(name, name === 'fuzz' ? 200 : 40);
    let result: ScenarioResult;
    try {
      await run(ctx, report);
      result = report.finish();
    } catch (error) {
      result = report.finish(error);
    }
    results.push(result);
    process.stdout.write(
      `${result.verdict.toUpperCase()} ${name} (${(result.durationMs / 1000).toFixed(0)} s)\n`,
    );
    for (const failure of result.failures.slice(0, 30)) process.stdout.write(`  ✗ ${failure}\n`);
    if (result.failures.length > 30)
      process.stdout.write(`  … ${result.failures.length - 30} more in ${resultsFile}\n`);
    for (const note of result.notes) process.stdout.write(`  · ${note}\n`);
    for (const example of result.examples.slice(0, 8))
      process.stdout.write(`  example: ${JSON.stringify(example)}\n`);
  }
} finally {
  await ctx.close();
}

const stamp = new Date().toISOString();
await mkdir(resultsDir, { recursive: true });
await writeFile(
  resultsFile,
  results.map((r) => JSON.stringify({ ts: stamp, quick: values.quick, ...r })).join('\n') + '\n',
);
process.stdout.write(`\n${summaryTable(results)}\n\nresults: ${resultsFile}\n`);
process.exitCode = results.some((r) => r.verdict === 'fail' || r.verdict === 'error') ? 1 : 0;
