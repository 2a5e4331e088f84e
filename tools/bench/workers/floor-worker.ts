/**
 * Child process holding the in-process floors of PERFORMANCE.md §6:
 * - `hash`: single-thread hashing floor on the bench's 5,000 emails — normalize, SHA-256 of the
 *   email, first-level hash, salt bucket of 1,048,576, raw UID v2 (3 × `crypto.hash`), opt-out check
 *   (a one-hash bloom filter over the synthetic FLHs, then a Set on a bloom hit);
 * - `optout`: optout/status floor on the same request batches as the HTTP trials — envelope open,
 *   `JSON.parse`, 5,000 `Map` lookups over the synthetic advertising ids, `JSON.stringify`, seal.
 */
import { hash, randomBytes } from 'node:crypto';
import { LeanRandomPool, leanOpenEnvelope, leanSealResponse } from '../lib/lean-crypto.js';
import { serveRpc } from '../lib/child-rpc.js';
import { sealBase64Envelope } from '../lib/envelopes.js';
import {
  BATCH_SIZE,
  benchEmails,
  forEachOptOut,
  optOutKeyStream,
  optOutStatusBatches,
} from '../lib/workload.js';

/** Arguments of `init`. */
export interface FloorInitArgs {
  readonly seed: string;
  readonly optouts: number;
  /** Client secret, base64. */
  readonly secret: string;
  readonly statusBatches: number;
  readonly hitFraction: number;
}

/** Result of one floor trial. */
export interface FloorTrial {
  readonly unitsPerS: number;
  /** Median time of one 5,000-item batch, ms. */
  readonly batchMs: number;
  readonly batches: number;
  readonly seconds: number;
  /** CPU seconds this process used during the trial (≈ seconds: one thread). */
  readonly cpuS: number;
}

const BUCKETS = 1 << 20;
const BLOOM_BITS = 1 << 24;
const emails = benchEmails(BATCH_SIZE);
let salts: string[] = [];
let firstLevelSalt = '';
let bloom = new Uint8Array(0);
let flhSet = new Set<string>();
let statusMap = new Map<string, number>();
let statusBatches: string[][] = [];
let secret = Buffer.alloc(32);
let sink = 0;
const ivs = new LeanRandomPool();

function init(args: FloorInitArgs): { statusBatches: string[][]; firstBatchHits: number } {
  secret = Buffer.from(args.secret, 'base64');
  const saltBytes = randomBytes(32 * BUCKETS);
  salts = Array.from({ length: BUCKETS }, (_, i) => saltBytes.toString('base64', i * 32, i * 32 + 32));
  firstLevelSalt = randomBytes(32).toString('base64');
  bloom = new Uint8Array(BLOOM_BITS / 8);
  flhSet = new Set();
  statusMap = new Map();
  forEachOptOut(args.seed, args.optouts, (flh, adid, seconds) => {
    const bit = flh.readUInt32LE(28) & (BLOOM_BITS - 1);
    bloom[bit >>> 3]! |= 1 << (bit & 7);
    flhSet.add(flh.toString('base64'));
    statusMap.set(adid.toString('base64'), seconds * 1000);
  });
  statusBatches = optOutStatusBatches(args.optouts, args.statusBatches, args.hitFraction, (i) =>
    optOutKeyStream(args.seed, i, 1).toString('base64', 32, 64),
  );
  const firstBatchHits = (statusBatches[0] ?? []).filter((id) => statusMap.has(id)).length;
  return { statusBatches, firstBatchHits };
}

/** Email normalization as the operator does it for these inputs: ASCII lower-case, gmail rules. */
function normalize(email: string): string {
  const lowered = email.toLowerCase();
  const at = lowered.indexOf('@');
  if (lowered.length - at - 1 !== 9 || !lowered.endsWith('gmail.com')) return lowered;
  let local = lowered.slice(0, at);
  const plus = local.indexOf('+');
  if (plus >= 0) local = local.slice(0, plus);
  return `${local.replaceAll('.', '')}@gmail.com`;
}

function hashBatch(): void {
  for (let i = 0; i < emails.length; i++) {
    const identity = hash('sha256', normalize(emails[i]!), 'buffer');
    const flh = hash('sha256', identity.toString('base64') + firstLevelSalt, 'buffer');
    const bucket = ((flh[0]! << 12) | (flh[1]! << 4) | (flh[2]! & 0xf)) % BUCKETS;
    const raw = hash('sha256', flh.toString('base64') + salts[bucket]!, 'buffer');
    const bit = flh.readUInt32LE(28) & (BLOOM_BITS - 1);
    const maybe = (bloom[bit >>> 3]! & (1 << (bit & 7))) !== 0;
    const optedOut = maybe && flhSet.has(flh.toString('base64'));
    sink ^= raw[0]! ^ (optedOut ? 1 : 0);
  }
}

function optoutBatch(body: string): void {
  const plaintext = leanOpenEnvelope(secret, body);
  const nowMs = Date.now();
  if (Math.abs(nowMs - Number(plaintext.readBigInt64BE(0))) > 120_000) throw new Error('stale envelope');
  const request = JSON.parse(plaintext.toString('utf8', 16)) as { advertising_ids: string[] };
  const optedOut: { advertising_id: string; opted_out_since: number }[] = [];
  for (const id of request.advertising_ids) {
    const since = statusMap.get(id);
    if (since !== undefined) optedOut.push({ advertising_id: id, opted_out_since: since });
  }
  const json = JSON.stringify({ body: { opted_out: optedOut }, status: 'success' });
  sink ^= leanSealResponse(secret, ivs.take(12), plaintext.subarray(8, 16), json, nowMs).length;
}

function measure(seconds: number, batch: (k: number) => void): FloorTrial {
  const times: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  for (let k = 0; now < end; k++) {
    const t = now;
    batch(k);
    now = performance.now();
    times.push(now - t);
  }
  const elapsed = now - start;
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  return {
    unitsPerS: (times.length * BATCH_SIZE) / (elapsed / 1000),
    batchMs: times[Math.floor(times.length / 2)] ?? 0,
    batches: times.length,
    seconds: elapsed / 1000,
    cpuS: (used.user + used.system) / 1e6,
  };
}

serveRpc({
  init,
  hash: (args: { seconds: number }) => measure(args.seconds, hashBatch),
  optout: (args: { seconds: number }) => {
    const bodies = statusBatches.map((ids) => sealBase64Envelope(secret, { advertising_ids: ids }));
    return measure(args.seconds, (k) => optoutBatch(bodies[k % bodies.length]!));
  },
  sink: () => sink,
});
