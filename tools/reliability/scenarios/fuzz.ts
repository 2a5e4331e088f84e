import { hash } from 'node:crypto';
import { drawCases } from '../fuzz/all-cases.js';
import type { FuzzCase } from '../fuzz/case-types.js';
import { describeCase, materialize } from '../fuzz/materialize.js';
import { ALL_PATHS, type FuzzInputs } from '../fuzz/payloads.js';
import { type HttpResponse, UnsendableRequestError, runPool } from '../lib/http-client.js';
import { type ScenarioReport, describe } from '../lib/report.js';
import { type OperatorSession, healthOf, startSession } from '../lib/session.js';
import { specProblem } from '../lib/spec-answers.js';
import type { SuiteContext } from '../lib/suite-context.js';

const CONCURRENCY = 16;

/** Collects valid tokens and raw UIDs from the running operator so mutations start from valid input. */
async function gatherInputs(ctx: SuiteContext, session: OperatorSession): Promise<FuzzInputs> {
  const advertisingTokens: string[] = [];
  const refreshTokens: string[] = [];
  const emails = [
    'user@example.com',
    'validate@example.com',
    'refresh-optout@example.com',
    'fuzz-a@example.com',
    'fuzz-b@example.com',
  ];
  for (const [i, email] of emails.entries()) {
    ctx.sensitive.addDii('fuzz test email', email);
    const answer = await session.client.generate(i % 2 === 0 ? { email } : { phone: `+1555000000${i}` });
    if (answer.tokens === undefined)
      throw new Error(`token/generate did not succeed (HTTP ${answer.response.status})`);
    advertisingTokens.push(answer.tokens.advertising_token);
    refreshTokens.push(answer.tokens.refresh_token);
    ctx.sensitive.add('fuzz advertising token', answer.tokens.advertising_token);
    ctx.sensitive.add('fuzz refresh token', answer.tokens.refresh_token);
  }
  const rawUids = Array.from({ length: 10 }, (_, i) => hash('sha256', `uid-${i}`, 'base64'));
  const mapped = await session.client.call('/v3/identity/map', { email: emails });
  const body = mapped.json?.body as { email?: { u?: string }[] } | undefined;
  for (const item of body?.email ?? []) if (typeof item.u === 'string') rawUids.push(item.u);
  return {
    advertisingTokens,
    refreshTokens,
    rawUids,
    subscriptionId: session.credentials.subscriptionId,
    publicKey: session.credentials.publicKey,
  };
}

interface Tally {
  readonly byStatus: Map<number, number>;
  readonly byFamily: Map<string, number>;
  /** Problem signature → count. */
  readonly problems: Map<string, number>;
}

function signature(c: FuzzCase, response: HttpResponse, problem: string): string {
  let message = '';
  try {
    message = (JSON.parse(response.body.toString('utf8')) as { message?: string }).message ?? '';
  } catch {
    message = response.body.toString('utf8').slice(0, 60);
  }
  // Random paths are grouped, and their text is taken out of framework messages that quote them.
  const known = (ALL_PATHS as readonly string[]).includes(c.path);
  const path = known ? c.path : '(other path)';
  return `${problem} | ${path} | ${(known ? message : message.replaceAll(c.path, '<path>')).slice(0, 80)}`;
}

function responseSummary(response: HttpResponse): Record<string, unknown> {
  const text = response.body.toString('utf8');
  return {
    status: response.status,
    contentType: response.headers['content-type'] ?? null,
    body: text.length > 300 ? `${text.slice(0, 300)}… (${response.body.length} bytes)` : text,
  };
}

/**
 * Scenario 1: bad-input fuzz against a running operator (embedded database). 100,000 cases
 * (5,000 with `--quick`) over the envelope, JSON bodies, headers, content types, refresh tokens,
 * advertising tokens, CSTG payloads, routes and oversized bodies, 16 in flight on keep-alive
 * connections. Requires: no answer ≥ 500, every answer a spec answer, the process alive and
 * healthy at the end. Every failing request is kept (minus secrets) with its response.
 */
export async function runFuzz(ctx: SuiteContext, report: ScenarioReport): Promise<void> {
  const count = ctx.options.fuzzCases ?? (ctx.options.quick ? 5_000 : 100_000);
  const session = await startSession(ctx, { name: 'fuzz', dataDir: ctx.path('fuzz') });
  try {
    report.set('operator_ready_s', session.operator.readyMs / 1000);
    const inputs = await gatherInputs(ctx, session);
    const credentials = {
      apiKey: session.credentials.apiKey,
      secret: Buffer.from(session.credentials.secret, 'base64'),
    };
    const tally: Tally = { byStatus: new Map(), byFamily: new Map(), problems: new Map() };
    let sent = 0;
    let unsendable = 0;
    let transportErrors = 0;
    let maxMs = 0;
    const latencyByFamily = new Map<string, [number, number]>();
    const okByFamily = new Map<string, number>();
    const examples: { problem: string; request: unknown; response: Record<string, unknown> }[] = [];
    const started = Date.now();
    const operatorCpuBefore = (await session.operator.cpuSeconds()) ?? 0;
    const harnessCpuBefore = process.cpuUsage();
    let lastProgress = started;
    await runPool(
      drawCases(inputs, count, ctx.options.seed),
      CONCURRENCY,
      async (c) => {
        tally.byFamily.set(c.family, (tally.byFamily.get(c.family) ?? 0) + 1);
        let response: HttpResponse;
        const request = materialize(c, credentials);
        try {
          response = await session.http.send(request);
        } catch (error) {
          if (error instanceof UnsendableRequestError) {
            unsendable += 1;
            return;
          }
          // A 413 may close the socket before the client finished writing a large body.
          if (c.family === 'oversize') return;
          transportErrors += 1;
          report.fail(`transport error on ${c.family} case (${c.note.slice(0, 60)}): ${describe(error)}`, {
            request: describeCase(c),
          });
          return;
        }
        sent += 1;
        maxMs = Math.max(maxMs, response.ms);
        const [total, n] = latencyByFamily.get(c.family) ?? [0, 0];
        latencyByFamily.set(c.family, [total + response.ms, n + 1]);
        tally.byStatus.set(response.status, (tally.byStatus.get(response.status) ?? 0) + 1);
        if (response.status === 200) okByFamily.set(c.family, (okByFamily.get(c.family) ?? 0) + 1);
        const problem = specProblem(request, response);
        if (problem !== undefined) {
          const key = signature(c, response, problem);
          const seen = tally.problems.get(key) ?? 0;
          tally.problems.set(key, seen + 1);
          if (seen < 2)
            examples.push({ problem, request: describeCase(c), response: responseSummary(response) });
        }
        if (Date.now() - lastProgress > 15_000) {
          lastProgress = Date.now();
          process.stdout.write(
            `  fuzz: ${sent + unsendable + transportErrors}/${count} cases, ${(sent / ((Date.now() - started) / 1000)).toFixed(0)} req/s\n`,
          );
        }
      },
      () => !session.operator.alive(),
    );
    const seconds = (Date.now() - started) / 1000;
    const fivexx = [...tally.byStatus].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
    const nonSpec = [...tally.problems.values()].reduce((sum, n) => sum + n, 0);
    report.set('cases', count);
    report.set('sent', sent);
    report.set('unsendable_by_client', unsendable);
    report.set('transport_errors', transportErrors);
    report.set('req_per_s', Math.round(sent / seconds));
    report.set('max_latency_ms', Math.round(maxMs));
    const mean = ([total, n]: [number, number]) => total / n;
    report.set(
      'mean_ms_by_family',
      [...latencyByFamily].map(([family, t]) => `${family}:${mean(t).toFixed(0)}`).join(' '),
    );
    const harnessCpu = process.cpuUsage(harnessCpuBefore);
    report.set(
      'operator_cpu_s',
      Math.round(((await session.operator.cpuSeconds()) ?? 0) - operatorCpuBefore),
    );
    report.set('harness_cpu_s', Math.round((harnessCpu.user + harnessCpu.system) / 1e6));
    report.set('responses_5xx', fivexx);
    report.set('non_spec_answers', nonSpec);
    report.set(
      'statuses',
      [...tally.byStatus]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}:${n}`)
        .join(' '),
    );
    report.set('http_200_by_family', [...okByFamily].map(([f, n]) => `${f}:${n}`).join(' '));
    report.set('families', [...tally.byFamily].map(([f, n]) => `${f}:${n}`).join(' '));
    const alive = session.operator.alive();
    const health = await healthOf(session.http);
    report.set('operator_alive', alive);
    report.set('healthcheck_end', `${health.status} ${health.text}`);
    report.check(alive, 'the operator process died during the fuzz');
    report.check(
      health.status === 200 && health.text === 'OK',
      `healthcheck after the fuzz: ${health.status} ${health.text}`,
    );
    report.check(fivexx === 0, `${fivexx} answers with HTTP status ≥ 500`);
    for (const [key, n] of [...tally.problems].sort((a, b) => b[1] - a[1])) report.fail(`${n}× ${key}`);
    // Server errors first: they are what must be fixed.
    examples.sort((a, b) => Number(b.response.status) - Number(a.response.status));
    for (const example of examples) report.example(example);
  } finally {
    await session.close();
  }
}
