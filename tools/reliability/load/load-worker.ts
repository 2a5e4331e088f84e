/**
 * Load generator of scenario 4, run as its own process (so it does not share the operator's or the
 * harness's event loop): prepares envelopes, then drives autocannon with a fixed mix per cycle —
 * 8 token/generate, 8 token/refresh, 1 v3 identity/map of 5,000 emails, 2 optout/status of 5,000
 * raw UID2s — and prints the autocannon result as one JSON line.
 *
 * Input (env LOAD_CONFIG, JSON): { url, apiKey, secret, seconds, connections, overallRate }.
 */
import { hash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { HttpClient } from '../lib/http-client.js';
import { Uid2Client } from '../lib/uid2-client.js';

interface LoadConfig {
  url: string;
  apiKey: string;
  secret: string;
  seconds: number;
  connections: number;
  overallRate: number;
}

/** The part of autocannon 9's API used here (the package ships no types; loaded untyped on purpose). */
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest: (request: AutocannonRequest) => AutocannonRequest;
}
interface Histogram {
  average: number;
  total: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  overallRate?: number;
  requests: AutocannonRequest[];
}) => Promise<{
  requests: Histogram;
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const config = JSON.parse(process.env.LOAD_CONFIG ?? '{}') as LoadConfig;
const http = new HttpClient(config.url, 8);
const client = new Uid2Client(http, { apiKey: config.apiKey, secret: config.secret });
const auth = { authorization: `Bearer ${config.apiKey}`, 'content-type': 'text/plain' };

function rotating(bodies: readonly string[]): (request: AutocannonRequest) => AutocannonRequest {
  let next = 0;
  return (request) => ({ ...request, body: bodies[next++ % bodies.length] });
}

// Envelopes are valid for 2 minutes: the run must start at once and last less than that.
const seal = (payload: object) => client.seal(payload).body.toString('base64');
const generateBodies = Array.from({ length: 500 }, (_, i) => seal({ email: `load-${i}@example.com` }));
const refreshTokens: string[] = [];
for (let i = 0; i < 200; i++) {
  const answer = await client.generate({ email: `load-refresh-${i}@example.com` });
  if (answer.tokens === undefined) throw new Error(`setup generate failed: HTTP ${answer.response.status}`);
  refreshTokens.push(answer.tokens.refresh_token);
}
const mapBodies = Array.from({ length: 4 }, (_, r) =>
  seal({ email: Array.from({ length: 5000 }, (_, i) => `map-${r}-${i}@example.com`) }),
);
const statusBodies = Array.from({ length: 4 }, (_, r) =>
  seal({
    advertising_ids: Array.from({ length: 5000 }, (_, i) =>
      hash('sha256', `${r}-${i}-${randomBytes(4).toString('hex')}`, 'base64'),
    ),
  }),
);
http.close();

const generate: AutocannonRequest = {
  method: 'POST',
  path: '/v2/token/generate',
  headers: auth,
  setupRequest: rotating(generateBodies),
};
const refresh: AutocannonRequest = {
  method: 'POST',
  path: '/v2/token/refresh',
  headers: { 'content-type': 'text/plain' },
  setupRequest: rotating(refreshTokens),
};
const map: AutocannonRequest = {
  method: 'POST',
  path: '/v3/identity/map',
  headers: auth,
  setupRequest: rotating(mapBodies),
};
const status: AutocannonRequest = {
  method: 'POST',
  path: '/v2/optout/status',
  headers: auth,
  setupRequest: rotating(statusBodies),
};
const cycle = [
  ...Array<AutocannonRequest>(4).fill(generate),
  ...Array<AutocannonRequest>(4).fill(refresh),
  map,
  status,
  ...Array<AutocannonRequest>(4).fill(generate),
  ...Array<AutocannonRequest>(4).fill(refresh),
  status,
];

const result = await autocannon({
  url: config.url,
  connections: config.connections,
  duration: config.seconds,
  timeout: 30,
  ...(config.overallRate > 0 ? { overallRate: config.overallRate } : {}),
  requests: cycle,
});
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    latency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    ok2xx: result['2xx'],
    cycleLength: cycle.length,
  })}\n`,
);
