import { type HttpRequest, type HttpResponse } from '../lib/http-client.js';
import { scanLogs } from '../lib/log-scan.js';
import { startPostgresSession, type PostgresSession } from '../lib/pg-session.js';
import type { ScenarioReport } from '../lib/report.js';
import { TOO_LARGE_TEXT, specProblem } from '../lib/spec-answers.js';
import type { SuiteContext } from '../lib/suite-context.js';
import { cstgBody } from '../lib/uid2-client.js';
import { checkAtRest } from './security-at-rest.js';

const SECURITY_HEADERS = [
  'x-content-type-options',
  'cache-control',
  'x-frame-options',
  'content-security-policy',
  'referrer-policy',
  'strict-transport-security',
];
const LEAKY_HEADERS = ['x-powered-by', 'server'];
const MIB = 1 << 20;

/** One request of each kind of answer the operator gives, for the header and stack-trace checks. */
function probes(s: PostgresSession): [string, HttpRequest][] {
  const auth = { authorization: `Bearer ${s.credentials.apiKey}` };
  const sealed = (payload: object | string) => s.client.seal(payload).body.toString('base64');
  const cstg = cstgBody({
    publicKey: s.credentials.publicKey,
    subscriptionId: s.credentials.subscriptionId,
    payload: { email_hash: 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=' },
  });
  const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  return [
    [
      '200 generate',
      {
        method: 'POST',
        path: '/v2/token/generate',
        headers: auth,
        body: sealed({ email: 'security@example.com' }),
      },
    ],
    [
      '200 client-generate',
      {
        method: 'POST',
        path: '/v2/token/client-generate',
        headers: { origin: 'http://localhost' },
        body: JSON.stringify(cstg.body),
      },
    ],
    ['400 envelope', { method: 'POST', path: '/v2/token/generate', headers: auth, body: 'not base64!' }],
    ['400 refresh', { method: 'POST', path: '/v2/token/refresh', body: 'x'.repeat(388) }],
    ['401', { method: 'POST', path: '/v2/token/generate', body: sealed({ email: 'security@example.com' }) }],
    [
      '403 origin',
      {
        method: 'POST',
        path: '/v2/token/client-generate',
        headers: { origin: 'https://evil.example' },
        body: JSON.stringify(cstg.body),
      },
    ],
    ['404 page', { method: 'GET', path: '/no/such/page' }],
    ['405', { method: 'GET', path: '/v2/token/generate' }],
    ['413', { method: 'POST', path: '/v2/token/generate', headers: auth, body: Buffer.alloc(MIB + 1, 0x41) }],
    ['healthcheck', { method: 'GET', path: '/ops/healthcheck', framing: 'none' }],
    [
      'preflight',
      {
        method: 'OPTIONS',
        path: '/v2/token/refresh',
        headers: { origin: 'http://localhost', 'access-control-request-method': 'POST' },
      },
    ],
    [
      'deeply nested tcf_consent_string',
      {
        method: 'POST',
        path: '/v2/token/generate',
        headers: auth,
        body: sealed(`{"email":"security@example.com","tcf_consent_string":${deep}}`),
      },
    ],
    [
      'deeply nested v2 map element',
      { method: 'POST', path: '/v2/identity/map', headers: auth, body: sealed(`{"email":[${deep}]}`) },
    ],
  ];
}

async function headersAndStacks(s: PostgresSession, report: ScenarioReport): Promise<void> {
  const present = new Map<string, Set<string>>();
  const missingNosniff: string[] = [];
  for (const [label, request] of probes(s)) {
    const response: HttpResponse = await s.http.send(request);
    for (const name of [...SECURITY_HEADERS, ...LEAKY_HEADERS]) {
      const value = response.headers[name];
      if (value !== undefined) present.set(name, (present.get(name) ?? new Set()).add(`${String(value)}`));
    }
    if (response.body.length > 0 && response.headers['x-content-type-options'] !== 'nosniff')
      missingNosniff.push(`${label} (${response.status})`);
    const problem = specProblem(request, response);
    if (problem !== undefined && !/^HTTP 5\d\d$/.test(problem)) report.fail(`${label}: ${problem}`);
    if (response.status >= 500)
      report.fail(`${label}: HTTP ${response.status} ${response.body.toString('utf8').slice(0, 100)}`);
  }
  report.set(
    'security_headers_sent',
    SECURITY_HEADERS.map((h) => `${h}=${[...(present.get(h) ?? ['(none)'])].join('|')}`).join('; '),
  );
  report.set('leaky_headers', LEAKY_HEADERS.filter((h) => present.has(h)).join(',') || 'none');
  report.check(
    missingNosniff.length === 0,
    `answers with a body but without "x-content-type-options: nosniff": ${missingNosniff.join(', ')}`,
  );
  report.check(
    !present.has('x-powered-by') && !present.has('server'),
    'the operator names its software in a response header',
  );
}

async function limits(s: PostgresSession, report: ScenarioReport): Promise<void> {
  const auth = { authorization: `Bearer ${s.credentials.apiKey}` };
  const over = await s.http.send({
    method: 'POST',
    path: '/v3/identity/map',
    headers: auth,
    body: Buffer.alloc(MIB + 1, 0x41),
  });
  report.check(
    over.status === 413 && over.body.toString('utf8') === TOO_LARGE_TEXT,
    `1 MiB + 1 byte: expected 413 "${TOO_LARGE_TEXT}", got ${over.status}`,
  );
  const exact = await s.http.send({
    method: 'POST',
    path: '/v3/identity/map',
    headers: auth,
    body: Buffer.alloc(MIB, 0x41),
  });
  report.check(exact.status === 400, `exactly 1 MiB: expected the envelope's 400, got ${exact.status}`);
  report.set('body_limit', `${MIB + 1}B→${over.status}, ${MIB}B→${exact.status}`);
  const ids = (n: number) =>
    Array.from({ length: n }, (_, i) => Buffer.alloc(32, i % 256).toString('base64'));
  const big = await s.client.call('/v2/optout/status', { advertising_ids: ids(5001) });
  report.check(
    big.response.status === 400 && big.json?.message === 'Request payload is too large',
    `optout/status with 5,001 ids: got ${big.response.status} ${big.json?.message ?? ''}`,
  );
  const ok = await s.client.call('/v2/optout/status', { advertising_ids: ids(5000) });
  report.check(ok.response.status === 200, `optout/status with 5,000 ids: got ${ok.response.status}`);
  report.set('optout_status_batch_limit', `5001→${big.response.status}, 5000→${ok.response.status}`);
}

/**
 * Scenario 5: security. Secrets at rest (raw PostgreSQL dump and PGlite files), response headers,
 * no stack traces, body and batch limits, and — last in the suite — a scan of every log line of
 * every process the suite started for DII, keys, secrets, tokens and the KEK.
 */
export async function runSecurity(ctx: SuiteContext, report: ScenarioReport): Promise<void> {
  const s = await startPostgresSession(ctx, 'security');
  try {
    ctx.sensitive.addDii('security email', 'security@example.com');
    await checkAtRest(ctx, report, s);
    await headersAndStacks(s, report);
    await limits(s, report);
  } finally {
    await s.close();
  }
  // Self-test: the scanner must see a registered value and a DII-shaped text in a synthetic line.
  const probe = scanLogs([{ name: 'self-test', text: 'x security@example.com y' }], ctx.sensitive);
  report.check(probe.hits.length >= 2, 'the log scanner missed a planted email (self-test)');
  const scan = scanLogs(
    ctx.logs.map((log) => ({ name: log.name, text: `${log.stdout()}\n${log.stderr()}` })),
    ctx.sensitive,
  );
  report.set('logs_scanned', scan.logs);
  report.set('log_lines_scanned', scan.lines);
  report.set('sensitive_values_registered', scan.registeredValues);
  report.set('log_hits', scan.hits.length);
  report.set('seed_banner_lines', scan.seedBannerLines);
  if (scan.seedBannerLines > 0) {
    report.note(
      `the development seed prints the new API key and client secret to stdout once per fresh database (${scan.seedBannerLines} banner lines over the suite); not counted as log leaks`,
    );
  }
  const byKind = new Map<string, string>();
  for (const hit of scan.hits) if (!byKind.has(hit.what)) byKind.set(hit.what, `${hit.log}:${hit.line}`);
  for (const [what, where] of byKind) report.fail(`log leak: ${what} (first at ${where})`);
}
