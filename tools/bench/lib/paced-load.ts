import { Agent, request } from 'node:http';
import type { LoadResult } from '../workers/load-worker.js';
import { quantileSorted } from './stats.js';

/** Inputs of {@link pacedLoad}. */
export interface PacedLoadInput {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  /** Request bodies, sent round-robin. */
  readonly bodies: readonly string[];
  /** Requests per second, evenly spaced (open loop). */
  readonly rate: number;
  /** Keep-alive sockets at most. */
  readonly connections: number;
  readonly seconds: number;
}

/**
 * Open-loop load at a steady rate: request k is sent at `start + k / rate` over a keep-alive
 * agent, whatever the previous answers did. Latency is reported from the actual send (like
 * autocannon) and from the scheduled send time (no coordinated omission: a stalled server — or a
 * starved client — shows up there). autocannon's `overallRate` instead sends each connection's
 * per-second quota back to back at the start of every second, which measures burst latency.
 */
export function pacedLoad(input: PacedLoadInput): Promise<LoadResult> {
  const target = new URL(input.url);
  const agent = new Agent({ keepAlive: true, maxSockets: input.connections });
  const latencies: number[] = [];
  const fromSchedule: number[] = [];
  const statusCodes: Record<string, number> = {};
  let non2xx = 0;
  let errors = 0;
  let inFlight = 0;
  let sent = 0;
  const interval = 1000 / input.rate;
  const start = performance.now();
  const end = start + input.seconds * 1000;
  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      const seconds = (performance.now() - start) / 1000;
      const sorted = Float64Array.from(latencies).sort();
      const scheduled = Float64Array.from(fromSchedule).sort();
      let sum = 0;
      for (const v of sorted) sum += v;
      resolve({
        ok: sorted.length,
        non2xx,
        errors,
        timeouts: 0,
        seconds,
        rps: sorted.length / seconds,
        p50Ms: quantileSorted(sorted, 0.5),
        p99Ms: quantileSorted(sorted, 0.99),
        meanMs: sorted.length === 0 ? Number.NaN : sum / sorted.length,
        p50FromScheduleMs: quantileSorted(scheduled, 0.5),
        p99FromScheduleMs: quantileSorted(scheduled, 0.99),
        statusCodes,
      });
    };
    const send = (due: number, body: string) => {
      inFlight++;
      const sentAt = performance.now();
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: input.path,
          headers: { ...input.headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.once('end', () => {
            const code = res.statusCode ?? 0;
            statusCodes[code] = (statusCodes[code] ?? 0) + 1;
            const now = performance.now();
            if (code >= 200 && code < 300) {
              latencies.push(now - sentAt);
              fromSchedule.push(now - due);
            } else non2xx++;
            if (--inFlight === 0 && performance.now() >= end) finish();
          });
        },
      );
      req.once('error', () => {
        errors++;
        if (--inFlight === 0 && performance.now() >= end) finish();
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (start + sent * interval <= Math.min(now, end)) {
        send(start + sent * interval, input.bodies[sent % input.bodies.length]!);
        sent++;
      }
      if (now < end) setTimeout(tick, 1);
      else if (inFlight === 0) finish();
    };
    tick();
  });
}
