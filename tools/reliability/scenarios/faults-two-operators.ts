import { waitFor } from '../lib/free-port.js';
import { type PostgresSession, startPostgresSession } from '../lib/pg-session.js';
import type { ScenarioReport } from '../lib/report.js';
import { type OperatorSession, startSession } from '../lib/session.js';
import type { SuiteContext } from '../lib/suite-context.js';
import { Uid2Client } from '../lib/uid2-client.js';

/** The master key id of a V4 advertising token (bytes 2–5, spec/api.md §12.1). */
function masterKeyIdOf(token: string): number {
  return Buffer.from(token, 'base64url').readInt32BE(2);
}

/** Polls `probe` on both operators; returns the milliseconds until each saw the change (null = never within 10 s). */
async function untilBoth(
  a: OperatorSession,
  b: OperatorSession,
  probe: (s: OperatorSession) => Promise<boolean>,
): Promise<[number | null, number | null]> {
  const one = (s: OperatorSession) =>
    waitFor(async () => ((await probe(s)) ? true : undefined), { timeoutMs: 10_000, everyMs: 50 }).then(
      (r) => (r.value === true ? r.ms : null),
    );
  return Promise.all([one(a), one(b)]);
}

/**
 * Fault (d): two operator processes on one PostgreSQL database. An opt-out recorded through A,
 * a master-key rotation and an API-key disable made through the db package must be in force in
 * both within 5 s; a token issued by A refreshes on B.
 */
export async function twoOperators(ctx: SuiteContext, report: ScenarioReport): Promise<void> {
  const a: PostgresSession = await startPostgresSession(ctx, 'fault-d-a', {
    env: { REFRESH_POLL_MS: '1000' },
  });
  let b: OperatorSession | undefined;
  try {
    b = await startSession(
      ctx,
      {
        name: 'fault-d-b',
        dataDir: ctx.path('fault-d-b'),
        env: { DATABASE_URL: a.databaseUrl, UID2_KEK: a.kek, REFRESH_POLL_MS: '1000' },
      },
      a.credentials,
    );
    const issued = await a.client.generate({ email: 'two-operators@example.com' });
    const refreshed = issued.tokens === undefined ? undefined : await b.client.refresh(issued.tokens);
    report.check(
      refreshed?.json?.status === 'success',
      `a token issued by A does not refresh on B (${refreshed?.response.status} ${refreshed?.json?.status})`,
    );

    const email = 'two-operators-optout@example.com';
    ctx.sensitive.addDii('fault email', email);
    const logout = await a.client.call('/v2/token/logout', { email });
    report.check(logout.json?.status === 'success', `logout through A failed (${logout.response.status})`);
    const [, optoutOnB] = await untilBoth(
      a,
      b,
      async (s) => (await s.client.generate({ email })).json?.status === 'optout',
    );
    report.set('d_optout_via_A_in_force_on_B_ms', optoutOnB);
    report.check(
      optoutOnB !== null && optoutOnB <= 5000,
      `opt-out through A not in force on B within 5 s (${optoutOnB} ms)`,
    );

    const [newMaster] = await a.db.keys.rotateKeys({
      nowMs: Date.now(),
      keysetIds: [-1],
      activationLeadSeconds: 0,
    });
    const rotated = await untilBoth(a, b, async (s) => {
      const tokens = (await s.client.generate({ email: 'two-operators-key@example.com' })).tokens;
      return tokens !== undefined && masterKeyIdOf(tokens.advertising_token) === newMaster?.id;
    });
    report.set('d_key_rotation_in_force_ms', `A:${rotated[0]} B:${rotated[1]}`);
    report.check(
      rotated.every((ms) => ms !== null && ms <= 5000),
      `master key rotation not in force on both within 5 s (A ${rotated[0]} ms, B ${rotated[1]} ms)`,
    );

    const created = await a.db.apiKeys.create({
      siteId: a.credentials.siteId,
      name: 'to disable',
      roles: ['GENERATOR'],
      nowMs: Date.now(),
    });
    ctx.sensitive.add('API key to disable', created.key);
    ctx.sensitive.add('client secret to disable', created.secret);
    const works = (s: OperatorSession) => async () =>
      (
        await new Uid2Client(s.http, { apiKey: created.key, secret: created.secret }).call(
          '/v2/token/generate',
          { email: 'x@example.com' },
        )
      ).response.status;
    const accepted = await untilBoth(a, b, async (s) => (await works(s)()) === 200);
    report.set('d_new_key_accepted_ms', `A:${accepted[0]} B:${accepted[1]}`);
    await a.db.apiKeys.disable(created.info.keyId);
    const disabled = await untilBoth(a, b, async (s) => (await works(s)()) === 401);
    report.set('d_key_disable_in_force_ms', `A:${disabled[0]} B:${disabled[1]}`);
    report.check(
      disabled.every((ms) => ms !== null && ms <= 5000),
      `API-key disable not in force on both within 5 s (A ${disabled[0]} ms, B ${disabled[1]} ms)`,
    );
  } finally {
    await b?.close();
    await a.close();
  }
}
