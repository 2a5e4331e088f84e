import { parseKek } from '@uid2-operator/db';
import { waitFor } from '../lib/free-port.js';
import { emailFirstLevelHash, optOutsPresent, withDatabase } from '../lib/optout-check.js';
import { freshPostgresDatabase } from '../lib/pg-session.js';
import type { ScenarioReport } from '../lib/report.js';
import { type OperatorSession, healthOf, startSession } from '../lib/session.js';
import type { SuiteContext } from '../lib/suite-context.js';
import { TcpProxy } from '../lib/tcp-proxy.js';
import type { IssuedTokens } from '../lib/uid2-client.js';

/** Generate, refresh, v3 map and opt-out status while the database is away: every answer must be a 200. */
async function serveFromSnapshot(
  s: OperatorSession,
  tokens: IssuedTokens,
  rounds: number,
): Promise<{ ok: number; failed: string[]; tokens: IssuedTokens }> {
  let ok = 0;
  const failed: string[] = [];
  let current = tokens;
  for (let i = 0; i < rounds; i++) {
    const generate = await s.client.generate({ email: `fault-a-${i}@example.com` });
    if (generate.json?.status === 'success') ok += 1;
    else failed.push(`generate: ${generate.response.status} ${generate.json?.status ?? ''}`);
    const refresh = await s.client.refresh(current);
    if (refresh.json?.status === 'success') {
      ok += 1;
      current = refresh.json.body as IssuedTokens;
    } else failed.push(`refresh: ${refresh.response.status} ${refresh.json?.status ?? ''}`);
    const map = await s.client.call('/v3/identity/map', {
      email: Array.from({ length: 100 }, (_, j) => `map-${i}-${j}@example.com`),
    });
    if (map.json?.status === 'success') ok += 1;
    else failed.push(`v3 map: ${map.response.status}`);
    const status = await s.client.call('/v2/optout/status', {
      advertising_ids: ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    });
    if (status.json?.status === 'success') ok += 1;
    else failed.push(`optout status: ${status.response.status}`);
  }
  return { ok, failed, tokens: current };
}

/**
 * Fault (a): PostgreSQL stopped while the operator serves, then the operator cut off (TCP proxy)
 * while another process writes an opt-out and a new API key straight into the database.
 */
export async function postgresDown(ctx: SuiteContext, report: ScenarioReport): Promise<void> {
  const cluster = await ctx.postgres();
  const database = await freshPostgresDatabase(ctx, 'fault_a');
  const kek = parseKek(database.kek);
  const proxy = await TcpProxy.start(cluster.port);
  const viaProxy = database.url.replace(`:${cluster.port}/`, `:${proxy.port}/`);
  const s = await startSession(ctx, {
    name: 'fault-a',
    dataDir: ctx.path('fault-a'),
    env: { DATABASE_URL: viaProxy, UID2_KEK: database.kek, REFRESH_POLL_MS: '500' },
  });
  try {
    const before = await s.client.generate({ email: 'fault-a-before@example.com' });
    if (!report.check(before.tokens !== undefined, 'generate failed before the fault')) return;
    let tokens = before.tokens!;

    // Phase 1: the database server stops.
    await cluster.stop('fast');
    const stoppedAt = Date.now();
    const served = await serveFromSnapshot(s, tokens, 10);
    tokens = served.tokens;
    report.set('a_pg_down_requests_ok', served.ok);
    report.set('a_pg_down_requests_failed', served.failed.length);
    for (const failure of served.failed.slice(0, 5)) report.fail(`while Postgres was down: ${failure}`);
    ctx.sensitive.addDii('fault email', 'fault-a-outage@example.com');
    const logout = await s.client.call('/v2/token/logout', { email: 'fault-a-outage@example.com' });
    const logoutText = logout.response.body.toString('utf8');
    report.set(
      'a_logout_while_down',
      `${logout.response.status} ${String(logout.response.headers['content-type'])} "${logoutText.slice(0, 40)}"`,
    );
    report.check(
      logout.response.status === 500 && logoutText === 'Internal Server Error',
      `logout while Postgres is down: expected 500 "Internal Server Error" (spec/api.md §10.1), got ${logout.response.status} ${logoutText.slice(0, 80)}`,
    );
    const degraded = await waitFor(
      async () => ((await healthOf(s.http)).text.startsWith('DEGRADED') ? true : undefined),
      { timeoutMs: 30_000, everyMs: 250 },
    );
    report.set('a_degraded_after_s', Math.round((Date.now() - stoppedAt) / 100) / 10);
    report.set('a_health_while_down', (await healthOf(s.http)).text.slice(0, 60));
    report.check(degraded.value === true, 'healthcheck never reported DEGRADED while Postgres was down');
    const stillServing = await serveFromSnapshot(s, tokens, 3);
    tokens = stillServing.tokens;
    report.check(
      stillServing.failed.length === 0,
      `after DEGRADED, ${stillServing.failed.length} requests failed`,
    );
    const notHalfWritten = await s.client.generate({ email: 'fault-a-outage@example.com' });
    report.check(
      notHalfWritten.json?.status === 'success',
      `the failed logout left an opt-out in memory (generate answered ${notHalfWritten.json?.status})`,
    );

    await cluster.start();
    const recovered = await waitFor(async () => ((await healthOf(s.http)).text === 'OK' ? true : undefined), {
      timeoutMs: 60_000,
      everyMs: 250,
    });
    report.set('a_recovered_after_restart_s', recovered.ms / 1000);
    report.check(
      recovered.value === true,
      'healthcheck did not return to OK within 60 s of Postgres restarting',
    );
    const logoutAfter = await s.client.call('/v2/token/logout', { email: 'fault-a-after@example.com' });
    report.check(
      logoutAfter.json?.status === 'success',
      `logout after recovery: ${logoutAfter.response.status}`,
    );
    const rows = await withDatabase({ url: database.url, kek }, (db) =>
      optOutsPresent(db, ['fault-a-outage@example.com', 'fault-a-after@example.com']),
    );
    report.check(
      !rows.present.includes('fault-a-outage@example.com'),
      'the logout that failed while Postgres was down is in the database',
    );
    report.check(
      rows.present.includes('fault-a-after@example.com'),
      'the logout after recovery is not in the database',
    );

    // Phase 2: the operator is cut off; another process writes; the operator must catch up.
    proxy.sever();
    await waitFor(async () => ((await healthOf(s.http)).text.startsWith('DEGRADED') ? true : undefined), {
      timeoutMs: 30_000,
      everyMs: 250,
    });
    const away = 'fault-a-away@example.com';
    ctx.sensitive.addDii('fault email', away);
    const newKey = await withDatabase({ url: database.url, kek }, async (db) => {
      const salt = (await db.salts.metadata())!.firstLevelSalt;
      await db.optouts.add([
        {
          firstLevelHash: emailFirstLevelHash(away, salt),
          advertisingId: null,
          scope: 'UID2',
          type: 'email',
          optedOutAtSeconds: Math.floor(Date.now() / 1000),
        },
      ]);
      return db.apiKeys.create({
        siteId: s.credentials.siteId,
        name: 'created while away',
        roles: ['GENERATOR'],
        nowMs: Date.now(),
      });
    });
    ctx.sensitive.add('API key created while away', newKey.key);
    const unaware = await s.client.generate({ email: away });
    report.set('a_away_generate_before_catch_up', unaware.json?.status ?? String(unaware.response.status));
    proxy.restore();
    const restoredAt = Date.now();
    const caughtUp = await waitFor(
      async () => ((await s.client.generate({ email: away })).json?.status === 'optout' ? true : undefined),
      { timeoutMs: 60_000, everyMs: 200 },
    );
    report.set(
      'a_missed_optout_enforced_after_s',
      caughtUp.value === true ? (Date.now() - restoredAt) / 1000 : null,
    );
    report.check(
      caughtUp.value === true,
      'an opt-out written while the operator was cut off was not enforced within 60 s of reconnecting',
    );
    const keyWorks = await waitFor(
      async () => {
        const { body } = s.client.seal({ email: 'fault-a-key@example.com' });
        const response = await s.http.send({
          method: 'POST',
          path: '/v2/token/generate',
          headers: { authorization: `Bearer ${newKey.key}` },
          body: body.toString('base64'),
        });
        return response.status === 401 ? undefined : true;
      },
      { timeoutMs: 30_000 },
    );
    report.check(
      keyWorks.value === true,
      'an API key created while the operator was cut off was not accepted after reconnecting',
    );
  } finally {
    proxy.restore();
    await s.close();
    await proxy.close();
  }
}
