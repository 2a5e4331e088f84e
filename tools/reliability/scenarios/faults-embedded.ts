import { hash } from 'node:crypto';
import { cp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { hashApiKey, parseKek } from '@uid2-operator/db';
import { OperatorProcess, OperatorStartError } from '../lib/operator-process.js';
import { withDatabase } from '../lib/optout-check.js';
import type { ScenarioReport } from '../lib/report.js';
import { startSession } from '../lib/session.js';
import type { SuiteContext } from '../lib/suite-context.js';

/** One damage to a copy of a healthy embedded data directory, and the piece to put back afterwards. */
interface Corruption {
  readonly name: string;
  /** The path (relative to the data directory) that is damaged, restored from the template after the attempt. */
  readonly piece: string;
  readonly apply: (dir: string) => Promise<void>;
}

async function largestFile(dir: string): Promise<string> {
  let best = { path: '', size: -1 };
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const { size } = await stat(path);
    if (size > best.size) best = { path, size };
  }
  return best.path;
}

async function fingerprint(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(relative(dir, path), hash('sha256', await readFile(path), 'hex'));
  }
  return out;
}

function corruptions(relationFile: string, walFile: string): Corruption[] {
  return [
    { name: 'kek file deleted', piece: 'kek', apply: (d) => rm(join(d, 'kek')) },
    { name: 'kek file garbage', piece: 'kek', apply: (d) => writeFile(join(d, 'kek'), 'not a key\n') },
    {
      name: 'kek file holds another key',
      piece: 'kek',
      apply: (d) => writeFile(join(d, 'kek'), `${Buffer.alloc(32, 9).toString('base64')}\n`),
    },
    {
      name: 'pglite/global/pg_control truncated',
      piece: 'pglite/global/pg_control',
      apply: (d) => truncate(join(d, 'pglite/global/pg_control'), 0),
    },
    {
      name: 'pglite/PG_VERSION deleted',
      piece: 'pglite/PG_VERSION',
      apply: (d) => rm(join(d, 'pglite/PG_VERSION')),
    },
    {
      name: `largest relation file truncated to half (${relationFile})`,
      piece: relationFile,
      apply: async (d) =>
        truncate(join(d, relationFile), Math.floor((await stat(join(d, relationFile))).size / 2)),
    },
    {
      name: `WAL segment truncated (${walFile})`,
      piece: walFile,
      apply: (d) => truncate(join(d, walFile), 0),
    },
    {
      name: 'pglite directory deleted (kek and credentials kept)',
      piece: 'pglite',
      apply: (d) => rm(join(d, 'pglite'), { recursive: true }),
    },
    {
      name: 'dev-credentials.json garbage',
      piece: 'dev-credentials.json',
      apply: (d) => writeFile(join(d, 'dev-credentials.json'), '{ this is not json'),
    },
  ];
}

/**
 * Fault (e): damaged or missing pieces of an embedded `.data` directory. The operator must exit
 * non-zero with a one-line message (no stack trace) rather than reset anything; after putting the
 * piece back, the original data (the dev API key, salts) must still open.
 */
export async function embeddedCorruption(ctx: SuiteContext, report: ScenarioReport): Promise<void> {
  const template = ctx.path('fault-e-template');
  const seeded = await startSession(ctx, { name: 'fault-e-seed', dataDir: template });
  const credentials = seeded.credentials;
  await seeded.client.generate({ email: 'fault-e@example.com' });
  await seeded.close();
  const pglite = join(template, 'pglite');
  const relationFile = relative(template, await largestFile(join(pglite, 'base')));
  const walDir = join(pglite, 'pg_wal');
  const wal =
    (await readdir(walDir))
      .filter((n) => /^[0-9A-F]{24}$/.test(n))
      .sort()
      .pop() ?? '';
  const templatePrints = await fingerprint(template);
  let clear = 0;
  let recovered = 0;
  const cases = corruptions(relationFile, join('pglite/pg_wal', wal));
  for (const [i, c] of cases.entries()) {
    const dir = ctx.path(`fault-e-${i}`);
    await cp(template, dir, { recursive: true });
    await c.apply(dir);
    const operator = OperatorProcess.spawn(ctx, { name: `fault-e-${i}`, dataDir: dir });
    let outcome: string;
    try {
      await operator.waitReady(90_000);
      outcome = 'STARTED';
      await operator.stop();
    } catch (error) {
      if (!(error instanceof OperatorStartError)) throw error;
      if (error.exit === undefined) await operator.kill();
      outcome = error.exit === undefined ? 'hung' : `exit ${error.exit.code ?? error.exit.signal}`;
    }
    const lines = operator.stderr.split('\n').filter((l) => l.trim() !== '');
    const oneLine =
      lines.length === 1 && lines[0]!.startsWith('uid2-operator: ') && !/\n\s+at /.test(operator.stderr);
    const failedClearly = outcome.startsWith('exit ') && outcome !== 'exit 0' && oneLine;
    if (failedClearly) clear += 1;
    const after = await fingerprint(dir);
    const changed = [...templatePrints].filter(
      ([path, sum]) =>
        !path.startsWith(c.piece) &&
        after.get(path) !== sum &&
        !/postmaster|\.lock$|pg_stat|pg_wal|pg_xact|pg_multixact|pg_logical|pg_subtrans/.test(path),
    );
    report.note(
      `${c.name}: ${outcome}; stderr ${lines.length} line(s): ${lines[0]?.slice(0, 200) ?? '(none)'}${
        changed.length > 0
          ? `; ${changed.length} other file(s) changed: ${changed
              .slice(0, 3)
              .map(([p]) => p)
              .join(', ')}`
          : ''
      }`,
    );
    let consequence = '';
    // Starting is fine when the engine recovered the damage without losing anything (e.g. a WAL
    // segment whose content was already checkpointed): same credentials, original data visible.
    let recoveredIntact = false;
    if (outcome === 'STARTED') {
      const reseeded = !c.piece.startsWith('dev-credentials') && (await apiKeyOf(dir)) !== credentials.apiKey;
      const original = await dataIntact(dir, credentials.apiKey);
      recoveredIntact = !reseeded && original === true;
      consequence =
        (reseeded ? '; it re-seeded and overwrote dev-credentials.json' : '') +
        (original === true
          ? '; the original data was still there'
          : `; the original data was not visible (${original})`);
    } else if (lines.length > 1)
      consequence = `; first lines: ${lines.slice(0, 2).join(' | ').slice(0, 200)}`;
    if (recoveredIntact) recovered += 1;
    report.check(
      failedClearly || recoveredIntact,
      `${c.name}: expected a non-zero exit with one "uid2-operator: …" line or a start with the original data intact, got ${outcome} with ${lines.length} stderr line(s)${consequence}`,
    );
    await rm(join(dir, c.piece), { recursive: true, force: true });
    await cp(join(template, c.piece), join(dir, c.piece), { recursive: true });
    const intact = await dataIntact(dir, credentials.apiKey);
    report.check(
      intact === true,
      `${c.name}: after putting the piece back the original data does not open: ${String(intact)}`,
    );
    await rm(dir, { recursive: true, force: true });
  }
  report.set('e_cases', cases.length);
  report.set('e_clear_startup_errors', clear);
  report.set('e_recovered_with_data_intact', recovered);
}

/** The API key recorded in the credentials file, or `undefined` when it cannot be read. */
async function apiKeyOf(dir: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(join(dir, 'dev-credentials.json'), 'utf8')) as { apiKey?: string })
      .apiKey;
  } catch {
    return undefined;
  }
}

/** Opens the restored directory and finds the dev API key (by its salted hash) and the salts. */
async function dataIntact(dir: string, apiKey: string): Promise<true | string> {
  try {
    const kek = parseKek(await readFile(join(dir, 'kek'), 'utf8'));
    return await withDatabase({ dataDir: join(dir, 'pglite'), kek }, async (db) => {
      const snapshot = await db.loadSnapshot();
      const found = snapshot.apiKeys.some((k) => hashApiKey(apiKey, k.keySalt) === k.keyHash);
      if (!found) return 'the dev API key is gone';
      if (snapshot.saltMetadata === null) return 'the salts are gone';
      return true;
    });
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? 'error';
  }
}
