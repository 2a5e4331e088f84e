import { randomInt } from 'node:crypto';
// The operator's own key index, measured in-process: nanosecond resolution, no network noise.
import { type ApiClient, ApiKeyIndex } from '../../../apps/operator/src/state/api-keys.js';
import type { PostgresSession } from '../lib/pg-session.js';
import type { ScenarioReport } from '../lib/report.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A key that equals `key` in its first `k` characters and differs at position `k` (then random),
 * keeping the `-` / `.` structure so every candidate goes through the same site lookup.
 */
function keyMatching(key: string, k: number): string {
  const out = key.slice(0, k).split('');
  for (let i = k; i < key.length; i++) {
    const c = key[i]!;
    if (c === '-' || c === '.') out.push(c);
    else {
      let r = ALPHABET[randomInt(ALPHABET.length)]!;
      while (i === k && r === c) r = ALPHABET[randomInt(ALPHABET.length)]!;
      out.push(r);
    }
  }
  // A flat string, so the measured code never pays for flattening a concatenation.
  return Buffer.from(out.join(''), 'latin1').toString('latin1');
}

/** `ApiKeyIndex.search`: the hash-and-compare step, without the per-key result cache in front of it. */
type Searchable = { search(key: string): ApiClient | undefined };

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

interface GroupStats {
  readonly k: number;
  readonly median: number;
  readonly trimmedMean: number;
}

function stats(k: number, samples: number[]): GroupStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const trimmed = sorted.slice(Math.floor(sorted.length * 0.1), Math.ceil(sorted.length * 0.9));
  return {
    k,
    median: quantile(sorted, 0.5),
    trimmedMean: trimmed.reduce((a, b) => a + b, 0) / trimmed.length,
  };
}

/** Least-squares slope of y on x with its standard error. */
function slope(points: readonly [number, number][]): { slope: number; se: number } {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  const b = sxy / sxx;
  const residual = points.reduce((a, [x, y]) => a + (y - my - b * (x - mx)) ** 2, 0);
  return { slope: b, se: Math.sqrt(residual / (n - 2) / sxx) };
}

/**
 * The constant-time test of spec/api.md §2.2: an unknown key that shares 13…L−1 leading characters
 * with a real key must take as long to refuse as one that shares none. In-process (the operator's
 * `ApiKeyIndex` hash-and-compare step, behind its per-key cache): 9 groups × 20,000 interleaved samples;
 * regression of time on matched length. Over HTTP: 3 groups × 600 sequential 401s (informative:
 * loopback noise is ~100× the effect being looked for).
 */
export async function measureKeyTiming(s: PostgresSession, report: ScenarioReport): Promise<void> {
  const snapshot = await s.db.loadSnapshot();
  const index = new ApiKeyIndex(snapshot.apiKeys);
  const key = s.credentials.apiKey;
  const site = key.indexOf('-', 9) + 1;
  const groups = [
    site,
    site + 3,
    site + 6,
    site + 10,
    site + 17,
    site + 24,
    site + 31,
    site + 38,
    key.length - 1,
  ];
  const perGroup = 20_000;
  const samples = groups.map((): number[] => []);
  const order = Array.from({ length: groups.length * perGroup }, (_, i) => i % groups.length);
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const search = index as unknown as Searchable;
  for (let i = 0; i < 2000; i++) search.search(keyMatching(key, groups[0]!)); // warm-up
  // All candidates exist before timing starts, so allocation and GC do not differ between groups.
  const candidates = order.map((g) => keyMatching(key, groups[g]!));
  for (let i = 0; i < order.length; i++) {
    const t0 = process.hrtime.bigint();
    const found = search.search(candidates[i]!);
    const ns = Number(process.hrtime.bigint() - t0);
    if (found !== undefined) throw new Error('a random key matched');
    samples[order[i]!]!.push(ns);
  }
  const all = samples.flat().sort((a, b) => a - b);
  const lo = quantile(all, 0.01);
  const hi = quantile(all, 0.99);
  const points: [number, number][] = [];
  samples.forEach((list, g) => list.forEach((ns) => ns >= lo && ns <= hi && points.push([groups[g]!, ns])));
  const fit = slope(points);
  const perGroupStats = samples.map((list, g) => stats(groups[g]!, list));
  const overall = quantile(all, 0.5);
  const medians = perGroupStats.map((g) => g.median);
  const spread = (Math.max(...medians) - Math.min(...medians)) / overall;
  const span = groups[groups.length - 1]! - groups[0]!;
  const effect = (fit.slope * span) / overall;
  report.set('timing_inprocess_samples', order.length);
  report.set('timing_inprocess_median_ns', overall);
  report.set('timing_inprocess_group_medians_ns', perGroupStats.map((g) => `${g.k}:${g.median}`).join(' '));
  report.set('timing_slope_ns_per_matched_char', Number(fit.slope.toFixed(3)));
  report.set('timing_slope_95ci', `±${(1.96 * fit.se).toFixed(3)}`);
  report.set('timing_effect_over_key_pct', Number((effect * 100).toFixed(3)));
  report.set('timing_group_median_spread_pct', Number((spread * 100).toFixed(2)));
  report.check(
    Math.abs(effect) < 0.03,
    `key comparison time depends on the matched prefix: ${(effect * 100).toFixed(2)} % over the key`,
  );
  report.check(spread < 0.05, `group medians differ by ${(spread * 100).toFixed(1)} % (limit 5 %)`);
  // L−3 rather than L−1: the operator caches results per key, and 62 variants would hit it.
  await httpTiming(s, report, key, [site, site + 24, key.length - 3]);
}

async function httpTiming(
  s: PostgresSession,
  report: ScenarioReport,
  key: string,
  groups: readonly number[],
): Promise<void> {
  const { body } = s.client.seal({ email: 'timing@example.com' });
  const text = body.toString('base64');
  const samples = groups.map((): number[] => []);
  for (let i = 0; i < groups.length * 600; i++) {
    const g = randomInt(groups.length);
    const response = await s.http.send({
      method: 'POST',
      path: '/v2/token/generate',
      headers: { authorization: `Bearer ${keyMatching(key, groups[g]!)}` },
      body: text,
    });
    if (response.status !== 401) throw new Error(`expected 401, got ${response.status}`);
    samples[g]!.push(response.ms * 1000);
  }
  const medians = samples.map((list) =>
    quantile(
      [...list].sort((a, b) => a - b),
      0.5,
    ),
  );
  report.set(
    'timing_http_group_medians_us',
    groups.map((k, i) => `${k}:${medians[i]!.toFixed(0)}`).join(' '),
  );
}
