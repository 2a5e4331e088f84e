/**
 * Child process generating HTTP load with autocannon (programmatic API) on 127.0.0.1. For every
 * trial it first builds a pool of fresh request envelopes (`prepare`: new timestamp, nonce and IV
 * each, sealed with the client secret), then runs (`run`) and reports 2xx throughput, exact p50/p99
 * of 2xx latencies (from autocannon's per-response events, ms as floats), non-2xx, errors, timeouts.
 */
import autocannon from 'autocannon';
import type { AutocannonRequest } from 'autocannon';
import { serveRpc } from '../lib/child-rpc.js';
import { probeEncrypted, sealBase64Envelope } from '../lib/envelopes.js';
import { pacedLoad } from '../lib/paced-load.js';
import { quantileSorted } from '../lib/stats.js';
import { BATCH_SIZE, benchEmails } from '../lib/workload.js';

/** Request kinds the bench sends. */
export type Scenario = 'generate' | 'echo' | 'map' | 'optout';

/** Path of each scenario. */
export const SCENARIO_PATH: Record<Scenario, string> = {
  generate: '/v2/token/generate',
  echo: '/echo',
  map: '/v3/identity/map',
  optout: '/v2/optout/status',
};

/** Arguments of `prepare`. */
export interface LoadSpec {
  readonly scenario: Scenario;
  /** Base URL of the server. */
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second over all connections (latency runs), or undefined for as fast as possible. */
  readonly overallRate?: number;
  /** Different request bodies in the pool. */
  readonly pool: number;
  /** With `overallRate`: evenly spaced open-loop requests (lib/paced-load.ts) instead of autocannon. */
  readonly paced?: boolean;
}

/** Result of `run`. */
export interface LoadResult {
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly seconds: number;
  /** 2xx responses per second. */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  /** Paced runs only: latency from each request's scheduled send time (includes client lag), ms. */
  readonly p50FromScheduleMs?: number;
  readonly p99FromScheduleMs?: number;
  readonly statusCodes: Record<string, number>;
}

let apiKey = '';
let secret = Buffer.alloc(32);
let statusJson: string[] = [];
const emails = benchEmails(BATCH_SIZE);
const mapJson = JSON.stringify({ email: emails });
let prepared:
  | { spec: LoadSpec; requests: AutocannonRequest[]; bodies: string[]; headers: Record<string, string> }
  | undefined;

/** Echo bodies are about 300 base64 characters, like the AES echo of PERFORMANCE.md §4: envelope 45 + JSON 180 bytes. */
function echoPayload(email: string): { email: string; pad: string } {
  const base = JSON.stringify({ email, pad: '' }).length;
  return { email, pad: 'x'.repeat(Math.max(0, 180 - base)) };
}

function bodies(scenario: Scenario, count: number): string[] {
  const offset = Math.floor(Math.random() * emails.length);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    if (scenario === 'map') out.push(sealBase64Envelope(secret, mapJson));
    else if (scenario === 'optout') out.push(sealBase64Envelope(secret, statusJson[k % statusJson.length]!));
    else if (scenario === 'echo')
      out.push(sealBase64Envelope(secret, echoPayload(emails[(offset + k) % emails.length]!)));
    else out.push(sealBase64Envelope(secret, { email: emails[(offset + k) % emails.length]! }));
  }
  return out;
}

function prepare(spec: LoadSpec): { bodies: number; buildMs: number } {
  const started = performance.now();
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'text/plain' };
  const path = SCENARIO_PATH[spec.scenario];
  const pool = bodies(spec.scenario, spec.pool);
  const requests = pool.map((body) => ({ method: 'POST', path, headers, body }));
  prepared = { spec, requests, bodies: pool, headers };
  return { bodies: requests.length, buildMs: Math.round(performance.now() - started) };
}

async function run(): Promise<LoadResult> {
  if (prepared === undefined) throw new Error('run without prepare');
  const { spec, requests } = prepared;
  if (spec.paced === true && spec.overallRate !== undefined) {
    const { bodies: pool, headers } = prepared;
    prepared = undefined;
    const path = SCENARIO_PATH[spec.scenario];
    return pacedLoad({
      url: spec.url,
      path,
      headers,
      bodies: pool,
      rate: spec.overallRate,
      connections: spec.connections,
      seconds: spec.seconds,
    });
  }
  prepared = undefined;
  const latencies: number[] = [];
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 30,
    requests,
    ...(spec.overallRate !== undefined ? { overallRate: spec.overallRate } : {}),
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats)) statusCodes[code] = stat.count;
  return {
    ok: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    rps: latencies.length / result.duration,
    p50Ms: quantileSorted(sorted, 0.5),
    p99Ms: quantileSorted(sorted, 0.99),
    meanMs: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    statusCodes,
  };
}

/** One real request of `scenario`, decrypted and checked: `{ http, ok, detail }`. */
async function probe(args: {
  scenario: Scenario;
  url: string;
  /** optout: ids of the first status batch that are opted out. */
  expectHits?: number;
}): Promise<{ http: number; ok: boolean; detail: string }> {
  const [body] = bodies(args.scenario, 1);
  const url = `${args.url}${SCENARIO_PATH[args.scenario]}`;
  if (args.scenario === 'echo') {
    const response = await fetch(url, {
      method: 'POST',
      body: body!,
      headers: { 'content-type': 'text/plain' },
    });
    return { http: response.status, ok: response.status === 200, detail: '' };
  }
  const outcome = await probeEncrypted({ url, apiKey, secret, body: body! });
  if (outcome.http !== 200) return { http: outcome.http, ok: false, detail: outcome.error ?? '' };
  const json = outcome.json as { status?: string; body?: Record<string, unknown> };
  if (json.status !== 'success') return { http: 200, ok: false, detail: `status ${String(json.status)}` };
  if (args.scenario === 'map') {
    const mapped = (json.body?.email as { u?: string }[] | undefined) ?? [];
    const good = mapped.filter((entry) => typeof entry.u === 'string').length;
    return { http: 200, ok: good === BATCH_SIZE, detail: `${good}/${BATCH_SIZE} emails mapped` };
  }
  if (args.scenario === 'optout') {
    const hits = (json.body?.opted_out as unknown[] | undefined)?.length ?? -1;
    const expected = args.expectHits ?? hits;
    return {
      http: 200,
      ok: hits === expected,
      detail: `${hits} of ${BATCH_SIZE} ids opted out (expected ${expected})`,
    };
  }
  return { http: 200, ok: typeof json.body?.advertising_token === 'string', detail: 'token issued' };
}

serveRpc({
  init: (args: { apiKey: string; secret: string; statusBatches: string[][] }) => {
    apiKey = args.apiKey;
    secret = Buffer.from(args.secret, 'base64');
    statusJson = args.statusBatches.map((ids) => JSON.stringify({ advertising_ids: ids }));
    return true;
  },
  prepare,
  run,
  probe,
});
