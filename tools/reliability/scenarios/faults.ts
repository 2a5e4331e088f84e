import type { ScenarioReport } from '../lib/report.js';
import type { SuiteContext } from '../lib/suite-context.js';
import { embeddedCorruption } from './faults-embedded.js';
import { killDuringImport, killDuringLogouts } from './faults-kill.js';
import { postgresDown } from './faults-postgres-down.js';
import { twoOperators } from './faults-two-operators.js';

type Part = (ctx: SuiteContext, report: ScenarioReport) => Promise<void>;

/** The parts of scenario 3, in order; a part that throws is reported and the next one still runs. */
const PARTS: readonly (readonly [string, Part])[] = [
  ['a: Postgres stopped / operator cut off', postgresDown],
  ['b: SIGKILL during logouts (Postgres)', (ctx, r) => killDuringLogouts(ctx, r, 'postgres')],
  ['b: SIGKILL during logouts (embedded)', (ctx, r) => killDuringLogouts(ctx, r, 'embedded')],
  ['c: SIGKILL during optout import', killDuringImport],
  ['d: two operators on one Postgres', twoOperators],
  ['e: damaged embedded .data', embeddedCorruption],
];

/**
 * Scenario 3: faults. Runs on the suite's private PostgreSQL cluster (stopped and started here;
 * the machine's shared server is never touched) and on embedded data directories.
 */
export async function runFaults(ctx: SuiteContext, report: ScenarioReport): Promise<void> {
  for (const [name, part] of PARTS) {
    const started = Date.now();
    process.stdout.write(`  faults ${name}\n`);
    try {
      await part(ctx, report);
    } catch (error) {
      report.fail(
        `${name}: aborted: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
    report.note(`${name}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}
