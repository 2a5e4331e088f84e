import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOrCreateKekFile, parseKek } from '@uid2-operator/db';
import { waitFor } from '../lib/free-port.js';
import { runPool } from '../lib/http-client.js';
import { emailFirstLevelHash, optOutsPresent, withDatabase } from '../lib/optout-check.js';
import { freshPostgresDatabase } from '../lib/pg-session.js';
import type { ScenarioReport } from '../lib/report.js';
import { startSession } from '../lib/session.js';
import { REPO_ROOT, type SuiteContext } from '../lib/suite-context.js';

/**
 * Fault (b): SIGKILL in the middle of a burst of `/v2/token/logout` calls (16 in flight). Every
 * acknowledged opt-out (HTTP 200 `success`) must be in the database afterwards, on PostgreSQL and
 * on the embedded database, and the operator must start again on the same data.
 */
export async function killDuringLogouts(
  ctx: SuiteContext,
  report: ScenarioReport,
  engine: 'postgres' | 'embedded',
): Promise<void> {
  const p = engine === 'postgres' ? 'b_pg' : 'b_embedded';
  const dataDir = ctx.path(`fault-${p}`);
  const database = engine === 'postgres' ? await freshPostgresDatabase(ctx, 'fault_b') : undefined;
  const env: Record<string, string> =
    database === undefined ? {} : { DATABASE_URL: database.url, UID2_KEK: database.kek };
  const s = await startSession(ctx, { name: `fault-${p}`, dataDir, env });
  const acked: string[] = [];
  let sent = 0;
  let failed = 0;
  const killAfterMs = 1500 + Math.floor(Math.random() * 1500);
  const started = Date.now();
  const killer = (async () => {
    while (Date.now() - started < killAfterMs || acked.length < 20)
      await new Promise((done) => setTimeout(done, 20));
    await s.operator.kill();
  })();
  const emails = (function* () {
    for (let i = 0; ; i++) yield `kill-${p}-${i}@example.com`;
  })();
  await runPool(
    emails,
    16,
    async (email) => {
      sent += 1;
      try {
        const answer = await s.client.call('/v2/token/logout', { email });
        if (answer.response.status === 200 && answer.json?.status === 'success') acked.push(email);
        else failed += 1;
      } catch {
        failed += 1;
      }
    },
    () => !s.operator.alive() || Date.now() - started > 30_000,
  );
  await killer;
  s.http.close();
  report.set(`${p}_logouts_sent`, sent);
  report.set(`${p}_acknowledged`, acked.length);
  report.set(`${p}_unacknowledged`, failed);
  report.set(`${p}_killed_after_ms`, killAfterMs);
  const kek =
    database === undefined ? await loadOrCreateKekFile(join(dataDir, 'kek')) : parseKek(database.kek);
  const target =
    database === undefined ? { dataDir: join(dataDir, 'pglite'), kek } : { url: database.url, kek };
  const { missing, present } = await withDatabase(target, (db) => optOutsPresent(db, acked));
  report.set(`${p}_acknowledged_missing_in_db`, missing.length);
  report.check(
    missing.length === 0,
    `${engine}: ${missing.length} of ${acked.length} acknowledged opt-outs are missing after SIGKILL`,
  );
  report.check(present.length === acked.length, `${engine}: acknowledged opt-outs not all present`);
  const restarted = await startSession(ctx, { name: `fault-${p}-restart`, dataDir, env }, s.credentials);
  try {
    report.set(`${p}_restart_ready_s`, restarted.operator.readyMs / 1000);
    const last = acked[acked.length - 1];
    if (last !== undefined) {
      const again = await restarted.client.generate({ email: last });
      report.check(
        again.json?.status === 'optout',
        `${engine}: after restart, an acknowledged opt-out is not enforced (${again.json?.status})`,
      );
    }
  } finally {
    await restarted.close();
  }
}

/**
 * Fault (c): SIGKILL in the middle of `uid2 optout import` (30,000 rows, batches of 500) into the
 * database an operator is serving from; the re-run must leave each valid row stored exactly once,
 * and the operator must enforce the imported opt-outs.
 */
export async function killDuringImport(ctx: SuiteContext, report: ScenarioReport): Promise<void> {
  const database = await freshPostgresDatabase(ctx, 'fault_c');
  const s = await startSession(ctx, {
    name: 'fault-c',
    dataDir: ctx.path('fault-c'),
    env: { DATABASE_URL: database.url, UID2_KEK: database.kek, REFRESH_POLL_MS: '500' },
  });
  try {
    const rows = 30_000;
    const emails = Array.from({ length: rows }, (_, i) => `import-${i}@example.com`);
    const file = join(ctx.workDir, 'optouts.csv');
    await writeFile(file, `identifier\n${emails.join('\n')}\nnot an identifier\n${emails[7]}\n`);
    const checkpoints = join(ctx.workDir, 'checkpoints');
    const cli = (extra: string[]) =>
      spawn(
        process.execPath,
        [
          '--conditions=@uid2-operator/source',
          '--import',
          'tsx',
          'apps/cli/src/main.ts',
          'optout',
          'import',
          file,
          '--batch-size',
          '500',
          '--checkpoint-dir',
          checkpoints,
          '--json',
          ...extra,
        ],
        {
          cwd: REPO_ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '/tmp',
            DATABASE_URL: database.url,
            UID2_KEK: database.kek,
            UID2_DATA_DIR: ctx.path('cli'),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    const kek = parseKek(database.kek);
    const first = cli([]);
    let firstErr = '';
    first.stderr.on('data', (c: Buffer) => (firstErr += c.toString()));
    ctx.logs.push({ name: 'uid2 optout import (killed)', stdout: () => '', stderr: () => firstErr });
    const exited = new Promise<string>((done) =>
      first.once('exit', (code, signal) => done(signal ?? String(code))),
    );
    const stored = await waitFor(
      async () => {
        const count = await withDatabase({ url: database.url, kek }, (db) => db.optouts.count());
        return count >= 3_000 ? count : undefined;
      },
      { timeoutMs: 120_000, everyMs: 200 },
    );
    first.kill('SIGKILL');
    const how = await exited;
    report.set('c_killed_with', how);
    report.set('c_rows_stored_when_killed', stored.value ?? null);
    if (!report.check(how === 'SIGKILL', `the import ended (${how}) before it could be killed`)) return;
    const second = cli([]);
    let out = '';
    let err = '';
    second.stdout.on('data', (c: Buffer) => (out += c.toString()));
    second.stderr.on('data', (c: Buffer) => (err += c.toString()));
    ctx.logs.push({ name: 'uid2 optout import (re-run)', stdout: () => out, stderr: () => err });
    const code = await new Promise<number | null>((done) => second.once('exit', done));
    report.check(code === 0, `the re-run failed (exit ${code}): ${err.split('\n')[0] ?? ''}`);
    const summary = JSON.parse(out || '{}') as Record<string, number>;
    report.set('c_rerun_summary', JSON.stringify(summary));
    await withDatabase({ url: database.url, kek }, async (db) => {
      const count = await db.optouts.count();
      report.set('c_rows_in_db', count);
      report.check(
        count === rows,
        `after the re-run the database holds ${count} opt-outs, expected exactly ${rows}`,
      );
      const salt = (await db.salts.metadata())!.firstLevelSalt;
      const expected = new Set(emails.map((e) => emailFirstLevelHash(e, salt).toString('hex')));
      let unexpected = 0;
      for (let cursor: number | null = null; ;) {
        const page = await db.optouts.scanSince(cursor, { limit: 10_000 });
        for (const record of page.records)
          if (!expected.delete(Buffer.from(record.firstLevelHash).toString('hex'))) unexpected += 1;
        cursor = page.cursor;
        if (!page.more) break;
      }
      report.check(expected.size === 0, `${expected.size} imported rows are missing`);
      report.check(
        unexpected === 0,
        `${unexpected} records in the database are duplicates or not from the file`,
      );
    });
    const enforced = await waitFor(
      async () =>
        (await s.client.generate({ email: emails[rows - 1]! })).json?.status === 'optout' ? true : undefined,
      { timeoutMs: 10_000 },
    );
    report.set('c_operator_enforces_import_ms', enforced.value === true ? enforced.ms : null);
    report.check(
      enforced.value === true,
      'the running operator does not enforce the imported opt-outs within 10 s',
    );
  } finally {
    await s.close();
  }
}
