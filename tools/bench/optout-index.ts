/**
 * Benchmark of `OptOutIndex` (packages/optout): memory per opt-out, build time and lookup latency.
 *
 *   node --expose-gc --import tsx --conditions=@uid2-operator/source tools/bench/optout-index.ts \
 *     [--entries 10000000] [--rounds 5] [--lookups 1000000] [--adid-fraction 1]
 *
 * Prints one JSON line per measurement and a summary line. Memory is the growth of
 * `heapUsed + external` (Node counts ArrayBuffers inside `external`; `arrayBuffers` is printed
 * separately) between two points after `global.gc()`, divided by the number of entries. The key
 * material is generated before the first memory reading so that only the index is measured.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { OptOutIndex } from '@uid2-operator/optout';
import type { OptOutRecord } from '@uid2-operator/optout';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '10000000' },
    rounds: { type: 'string', default: '5' },
    lookups: { type: 'string', default: '1000000' },
    'adid-fraction': { type: 'string', default: '1' },
    batch: { type: 'string', default: '10000' },
  },
});
const entries = Number(values.entries);
const rounds = Number(values.rounds);
const lookups = Number(values.lookups);
const adidFraction = Number(values['adid-fraction']);
const batchSize = Number(values.batch);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run node with --expose-gc');
  process.exit(1);
}

/** Per entry: FLH (32) | advertising id (33: byte 0 = v3 UID2-email meta, then 32 random bytes). */
const STRIDE = 65;
const BASE_SECONDS = 1_700_000_000;

function settle(): NodeJS.MemoryUsage {
  gc!();
  gc!();
  return process.memoryUsage();
}

function emit(line: Record<string, unknown>): void {
  console.log(JSON.stringify(line));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Key material first, so it is part of the baseline.
const material = Buffer.allocUnsafe(entries * STRIDE);
for (let off = 0; off < material.length; off += 1 << 26) {
  const end = Math.min(material.length, off + (1 << 26));
  randomBytes(end - off).copy(material, off);
}
for (let i = 0; i < entries; i++) material[i * STRIDE + 32] = 0x00;

const index = new OptOutIndex();
const checkpoints: { entries: number; slotBytesPerEntry: number }[] = [];
const checkpointEvery = Math.max(1, Math.floor(entries / 20));

function* batches(): Generator<OptOutRecord[]> {
  for (let start = 0; start < entries; start += batchSize) {
    const batch: OptOutRecord[] = [];
    const end = Math.min(entries, start + batchSize);
    for (let i = start; i < end; i++) {
      const o = i * STRIDE;
      const withAdid = adidFraction >= 1 || (i % 1000) / 1000 < adidFraction;
      batch.push({
        firstLevelHash: material.subarray(o, o + 32),
        // Even entries carry the 33-byte id, odd ones its last 32 bytes (a v2-style id).
        advertisingId: withAdid ? material.subarray(o + (i % 2 === 0 ? 32 : 33), o + 65) : null,
        scope: 'UID2',
        type: i % 3 === 0 ? 'phone' : 'email',
        optedOutAtSeconds: BASE_SECONDS + (i % 86_400_000),
      });
    }
    yield batch;
    if (Math.floor(end / checkpointEvery) !== Math.floor(start / checkpointEvery)) {
      checkpoints.push({
        entries: index.size,
        slotBytesPerEntry: +(index.memoryBytes() / index.size).toFixed(2),
      });
    }
  }
}

const before = settle();
const t0 = performance.now();
await index.addFrom(batches());
const buildMs = performance.now() - t0;
const after = settle();

const delta = (k: 'heapUsed' | 'external' | 'arrayBuffers' | 'rss'): number => after[k] - before[k];
const grownBytes = delta('heapUsed') + delta('external');
const bytesPerEntry = grownBytes / entries;
emit({
  bench: 'optout_index_build',
  entries,
  size: index.size,
  advertisingIds: index.advertisingIdCount,
  buildMs: Math.round(buildMs),
  buildNsPerEntry: Math.round((buildMs * 1e6) / entries),
  bytesPerEntry: +bytesPerEntry.toFixed(2),
  slotBytesPerEntry: +(index.memoryBytes() / entries).toFixed(2),
  heapUsedDelta: delta('heapUsed'),
  externalDelta: delta('external'),
  arrayBuffersDelta: delta('arrayBuffers'),
  rssDelta: delta('rss'),
});
emit({
  bench: 'optout_index_memory_curve',
  maxSlotBytesPerEntry: Math.max(...checkpoints.map((c) => c.slotBytesPerEntry)),
  checkpoints,
});

// Lookup keys, pre-generated and laid out contiguously (a request's keys are freshly computed, so
// in cache): hits are copies of random entries' keys, misses are fresh random keys.
const n = Math.min(lookups, entries);
const hitFlh: Buffer[] = [];
const hitAdid: Buffer[] = [];
const missFlh: Buffer[] = [];
const missAdid: Buffer[] = [];
const picks = randomBytes(n * 4);
const hits = Buffer.allocUnsafe(n * STRIDE);
const misses = randomBytes(n * STRIDE);
for (let k = 0; k < n; k++) {
  const i = picks.readUInt32LE(k * 4) % entries;
  material.copy(hits, k * STRIDE, i * STRIDE, (i + 1) * STRIDE);
  hitFlh.push(hits.subarray(k * STRIDE, k * STRIDE + 32));
  hitAdid.push(hits.subarray(k * STRIDE + 32, k * STRIDE + 65));
  missFlh.push(misses.subarray(k * STRIDE, k * STRIDE + 32));
  missAdid.push(misses.subarray(k * STRIDE + 32, k * STRIDE + 65));
}

type Probe = (key: Buffer) => boolean;
const probes: Record<string, { keys: Buffer[]; probe: Probe; expectHit: boolean }> = {
  flh_hit: { keys: hitFlh, probe: (k) => index.isOptedOut(k), expectHit: true },
  flh_miss: { keys: missFlh, probe: (k) => index.isOptedOut(k), expectHit: false },
  flh_since_hit: { keys: hitFlh, probe: (k) => index.optedOutSince(k) >= 0, expectHit: true },
  adid_hit: {
    keys: hitAdid,
    probe: (k) => index.advertisingIdOptedOutSince(k) >= 0,
    expectHit: adidFraction >= 1,
  },
  adid_miss: { keys: missAdid, probe: (k) => index.advertisingIdOptedOutSince(k) >= 0, expectHit: false },
};

const results: Record<string, number> = {};
for (const [name, { keys, probe, expectHit }] of Object.entries(probes)) {
  const runs: number[] = [];
  let unexpected = 0;
  for (let r = 0; r < rounds; r++) {
    let hits = 0;
    const start = process.hrtime.bigint();
    for (let k = 0; k < keys.length; k++) if (probe(keys[k]!)) hits++;
    const ns = Number(process.hrtime.bigint() - start);
    runs.push(+(ns / keys.length).toFixed(1));
    unexpected = expectHit ? keys.length - hits : hits;
  }
  results[name] = median(runs);
  emit({
    bench: `optout_index_lookup_${name}`,
    lookups: keys.length,
    nsPerOp: median(runs),
    runs,
    unexpected,
  });
}

emit({
  bench: 'summary',
  entries,
  bytesPerEntry: +bytesPerEntry.toFixed(2),
  bytesPerEntryMust: 40,
  lookupNsMax: Math.max(...Object.values(results)),
  lookupNsMust: 1000,
  pass: bytesPerEntry <= 40 && Math.max(...Object.values(results)) < 1000,
  env: { node: process.version, cpus: cpus().length, loadavg1: +loadavg()[0]!.toFixed(2) },
});
