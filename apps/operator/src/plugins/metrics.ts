import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Ages the `/metrics` endpoint reports, in seconds; supplied by the state holder. */
export interface SnapshotAges {
  /** Seconds since the in-memory snapshot last caught up with the database. */
  readonly snapshotAgeSeconds: number;
  readonly optOutCount: number;
  readonly saltBucketCount: number;
}

/**
 * Prometheus metrics (prom-client): request counts and latency per endpoint and status, plus
 * snapshot ages. Labels are the route's metric name and the HTTP status only — never a path
 * with data, a DII, a key or a token.
 */
export function registerMetrics(app: FastifyInstance, ages: () => SnapshotAges): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'uid2_requests_total',
    help: 'Requests answered, by endpoint and HTTP status.',
    labelNames: ['endpoint', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'uid2_request_duration_seconds',
    help: 'Request latency in seconds, by endpoint.',
    labelNames: ['endpoint'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'uid2_snapshot_age_seconds',
    help: 'Seconds since the in-memory snapshot last caught up with the database.',
    registers: [registry],
    collect() {
      this.set(ages().snapshotAgeSeconds);
    },
  });
  new Gauge({
    name: 'uid2_optout_entries',
    help: 'Opt-out records held in memory.',
    registers: [registry],
    collect() {
      this.set(ages().optOutCount);
    },
  });
  new Gauge({
    name: 'uid2_salt_buckets',
    help: 'Salt buckets held in memory.',
    registers: [registry],
    collect() {
      this.set(ages().saltBucketCount);
    },
  });

  // Callback style (no promise per request). `uid2Route` spares the `routeOptions` getter on UID2
  // routes; requests that never reached their route hooks (e.g. 503 while closing) fall back to it.
  // Labelled children are looked up once per (endpoint, status): prom-client hashes the label
  // object on every `inc`/`observe` otherwise, which showed in the token/generate profile.
  const counters = new Map<string, Counter.Internal>();
  const timers = new Map<string, Histogram.Internal<'endpoint'>>();
  app.addHook('onResponse', (request, reply, done) => {
    const endpoint =
      (request.uid2Route ?? request.routeOptions.config.uid2)?.metric ??
      (request.is404 ? 'unknown_route' : 'other');
    const status = reply.statusCode;
    const counterKey = `${endpoint} ${status}`;
    let counter = counters.get(counterKey);
    if (counter === undefined) {
      counter = requests.labels({ endpoint, status: String(status) });
      counters.set(counterKey, counter);
    }
    counter.inc();
    let timer = timers.get(endpoint);
    if (timer === undefined) {
      timer = latency.labels({ endpoint });
      timers.set(endpoint, timer);
    }
    timer.observe(reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
  return registry;
}
