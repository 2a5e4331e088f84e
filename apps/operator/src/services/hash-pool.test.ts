import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createOptOutPolicy, OptOutIndex, type OptOutRecord } from '@uid2-operator/optout';
import { createSaltTable, createSaltTableFrom, type SaltTable } from '@uid2-operator/salt-buckets';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_FIRST_LEVEL_SALT, testBuckets } from '../test-support/fixture.js';
import { hashIdentities, type HashInput, type MapSettings } from './hash-batch.js';
import { HashPoolError } from './hash-pool-error.js';
import { HashPool, type HashPoolOptions } from './hash-pool.js';
import { v3ItemsJson, type V3JsonRun } from './map-v3-json.js';
import { withSourceCondition } from './start-hash-worker.js';

const NOW = 1_800_000_000_000;
const settings: MapSettings = { scope: 'UID2', environment: 'test', identityV3: false };
const CRASHING_WORKER = new URL('../test-support/crashing-hash-worker.ts', import.meta.url);

function emails(count: number, prefix = 'user'): HashInput {
  const values: string[] = [];
  for (let i = 0; i < count; i++) values.push(i % 17 === 5 ? `invalid ${i}` : `${prefix}${i}@example.com`);
  return { type: 'email', form: 'raw', values };
}

const phones: HashInput = { type: 'phone', form: 'raw', values: ['+12345678901', '+1', '+442071838750'] };

class Logs {
  readonly lines: { level: string; object: object; message: string }[] = [];
  warn(object: object, message: string): void {
    this.lines.push({ level: 'warn', object, message });
  }
  error(object: object, message: string): void {
    this.lines.push({ level: 'error', object, message });
  }
}

/** An email opt-out of a first-level hash. */
function optOut(flh: Uint8Array): OptOutRecord {
  return {
    firstLevelHash: flh,
    advertisingId: null,
    scope: 'UID2',
    type: 'email',
    optedOutAtSeconds: 1_700_000_000,
  };
}

/** An empty shared opt-out index and the policy over it (no test identities). */
function sharedOptOuts() {
  const index = new OptOutIndex({ shared: true });
  return { index, policy: createOptOutPolicy({ testHashes: [], index }) };
}

const pools: HashPool[] = [];
function pool(salts: SaltTable, options: Partial<HashPoolOptions> = {}): HashPool {
  const created = new HashPool({ salts, settings, threads: 1, ...options });
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('HashPool', () => {
  const table = createSaltTableFrom(TEST_FIRST_LEVEL_SALT, testBuckets(16, NOW));
  const inline = (input: HashInput, output: 'v2' | 'v3') =>
    hashIdentities(table, settings, input, NOW, output);

  it('gives results identical to inline hashing when jobs are split across two worker threads', async () => {
    const hashPool = pool(table, { threads: 2 });
    const inputs = [emails(1234), phones, emails(0), emails(301, 'other')];
    const v3 = await hashPool.map(inputs, 'v3', NOW);
    expect(v3).toEqual(inputs.map((input) => inline(input, 'v3')));
    const v2 = await hashPool.map(inputs, 'v2', NOW);
    expect(v2).toEqual(inputs.map((input) => inline(input, 'v2')));
    expect(hashPool.workerCount).toBe(2);
  });

  it('answers v3 items with opt-outs decided in the workers on the shared index, following later opt-outs', async () => {
    const { index, policy } = sharedOptOuts();
    const input = emails(1500);
    const flhs = hashIdentities(table, settings, input, NOW, 'v3').firstLevelHashes;
    const flhOf = (i: number): Uint8Array => flhs.subarray(i * 32, i * 32 + 32);
    for (let i = 0; i < 1500; i += 7) index.add(optOut(flhOf(i)));
    const hashPool = pool(table, { threads: 2, optOuts: { policy, index, testHashes: [] } });
    const expected = (): string[] => {
      const hashed = hashIdentities(table, settings, input, NOW, 'v3');
      const check = { scope: 'UID2', type: 'email', forRefresh: false } as const;
      return [v3ItemsJson(hashed, (i) => policy.isOptedOutAt(hashed.firstLevelHashes, i * 32, check)), '[]'];
    };
    const texts = (runs: readonly V3JsonRun[]): string[] =>
      runs.map((run) => `[${Buffer.from(run.json).toString('utf8')}]`);
    const before = texts(await hashPool.mapV3Json([input, emails(0)], NOW));
    expect(before).toEqual(expected());
    expect(before[0]).toContain('{"e":"optout"}');
    expect(hashPool.workerCount).toBe(2);
    // More opt-outs while the workers run: enough unrelated ones that many segments grow.
    for (let i = 0; i < 20_000; i++) index.add(optOut(randomBytes(32)));
    for (let i = 3; i < 1500; i += 5) index.add(optOut(flhOf(i)));
    const after = texts(await hashPool.mapV3Json([input, emails(0)], NOW));
    expect(after).toEqual(expected());
    expect(after).not.toEqual(before);
  });

  it('never misses an existing opt-out while the index is written during the map', async () => {
    const { index, policy } = sharedOptOuts();
    const input = emails(4000);
    const hashed = hashIdentities(table, settings, input, NOW, 'v3');
    for (let i = 0; i < 4000; i += 3)
      index.add(optOut(hashed.firstLevelHashes.subarray(i * 32, i * 32 + 32)));
    const check = { scope: 'UID2', type: 'email', forRefresh: false } as const;
    const expected = v3ItemsJson(hashed, (i) => policy.isOptedOutAt(hashed.firstLevelHashes, i * 32, check));
    const hashPool = pool(table, { threads: 2, optOuts: { policy, index, testHashes: [] } });
    await hashPool.mapV3Json([emails(100)], NOW); // workers up
    const running = hashPool.mapV3Json([input], NOW);
    // Unrelated opt-outs written while the workers read: in-place inserts and segment doublings.
    for (let i = 0; i < 150_000; i++) index.add(optOut(randomBytes(32)));
    const [answer] = await running;
    expect(answer?.count).toBe(4000);
    expect(`[${Buffer.from(answer?.json ?? []).toString('utf8')}]`).toBe(expected);
  });

  it.runIf(existsSync('/proc/self/task'))(
    'runs its worker threads at the configured nice value (Linux)',
    async () => {
      const niceOf = (task: string): number =>
        Number(readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]);
      const before = new Set(readdirSync('/proc/self/task'));
      const base = niceOf(String(process.pid));
      const hashPool = pool(table, { threads: 1, nice: 7 });
      await hashPool.map([emails(500)], 'v3', NOW);
      const added = readdirSync('/proc/self/task').filter((task) => !before.has(task));
      expect(added.map(niceOf)).toContain(Math.min(19, base + 7));
      expect(niceOf(String(process.pid))).toBe(base);
    },
  );

  it('hashes small requests at once without starting any worker', async () => {
    const hashPool = pool(table, { threads: 2 });
    expect(await hashPool.map([phones], 'v3', NOW)).toEqual([inline(phones, 'v3')]);
    expect(hashPool.workerCount).toBe(0);
  });

  it('hashes on the event loop in chunks, yielding between them, when configured with no threads', async () => {
    const hashPool = pool(table, { threads: 0, chunkSize: 100 });
    const order: string[] = [];
    const mapping = hashPool.map([emails(2000)], 'v3', NOW).then(([result]) => {
      order.push('map');
      return result;
    });
    setImmediate(() => order.push('immediate'));
    expect(await mapping).toEqual(inline(emails(2000), 'v3'));
    expect(order).toEqual(['immediate', 'map']);
    expect(hashPool.workerCount).toBe(0);
  });

  it('retries the in-flight job once on a fresh worker when its worker crashes', async () => {
    const logs = new Logs();
    const hashPool = pool(table, { workerEntry: CRASHING_WORKER, logger: logs });
    const input: HashInput = {
      type: 'email',
      form: 'raw',
      values: [...emails(150).values, 'crash-once@worker.test'],
    };
    const [result] = await hashPool.map([input], 'v2', NOW);
    expect(result).toEqual(inline(input, 'v2'));
    expect(logs.lines.some((line) => line.message.startsWith('hashing worker exited'))).toBe(true);
    expect(hashPool.workerCount).toBe(1);
  });

  it('fails only the job whose retry crashes too, and keeps serving other requests', async () => {
    const hashPool = pool(table, { workerEntry: CRASHING_WORKER, logger: new Logs() });
    const poison: HashInput = {
      type: 'email',
      form: 'raw',
      values: [...emails(150).values, 'crash-always@worker.test'],
    };
    const failing = hashPool.map([poison], 'v2', NOW);
    await expect(failing).rejects.toBeInstanceOf(HashPoolError);
    await expect(failing).rejects.toMatchObject({ code: 'ERR_HASH_WORKER_CRASHED' });
    const [result] = await hashPool.map([emails(300)], 'v3', NOW);
    expect(result).toEqual(inline(emails(300), 'v3'));
    expect(hashPool.isDegraded).toBe(false);
  });

  it('falls back to hashing on the event loop after three workers die before delivering anything', async () => {
    const logs = new Logs();
    const missing = new URL('../test-support/no-such-worker.ts', import.meta.url);
    const hashPool = pool(table, { workerEntry: missing, logger: logs });
    const [result] = await hashPool.map([emails(500)], 'v2', NOW);
    expect(result).toEqual(inline(emails(500), 'v2'));
    expect(hashPool.isDegraded).toBe(true);
    expect(logs.lines.filter((line) => line.level === 'error')).toHaveLength(1);
    const [again] = await hashPool.map([emails(200)], 'v2', NOW);
    expect(again).toEqual(inline(emails(200), 'v2'));
  });

  it('hands the workers a new copy of the live table after a salt change, before the next job', async () => {
    const live = createSaltTableFrom(TEST_FIRST_LEVEL_SALT, testBuckets(16, NOW));
    const hashPool = pool(live);
    const input = emails(400);
    hashPool.start();
    const [before] = await hashPool.map([input], 'v3', NOW);
    expect(before).toEqual(hashIdentities(live, settings, input, NOW, 'v3'));
    const rotated = testBuckets(16, NOW);
    live.setAll(rotated);
    hashPool.saltsChanged();
    const [after] = await hashPool.map([input], 'v3', NOW);
    expect(after).toEqual(hashIdentities(live, settings, input, NOW, 'v3'));
    expect(after?.rawUids).not.toEqual(before?.rawUids);
  });

  it('rejects a job with ERR_HASH_FAILED and the worker error code when a bucket is missing', async () => {
    const partial = createSaltTable({ firstLevelSalt: TEST_FIRST_LEVEL_SALT, bucketCount: 16 });
    partial.setAll(testBuckets(16, NOW).slice(1));
    const hashPool = pool(partial);
    await expect(hashPool.map([emails(400)], 'v2', NOW)).rejects.toMatchObject({
      code: 'ERR_HASH_FAILED',
      detail: 'ERR_SALT_BUCKET_MISSING',
    });
  });

  it('fails queued and later jobs with ERR_HASH_POOL_CLOSED once closed', async () => {
    const hashPool = pool(table);
    const inFlight = hashPool.map([emails(3000)], 'v2', NOW).catch((error: unknown) => error);
    await hashPool.close();
    expect(await inFlight).toMatchObject({ code: 'ERR_HASH_POOL_CLOSED' });
    await expect(hashPool.map([emails(1)], 'v2', NOW)).rejects.toMatchObject({
      code: 'ERR_HASH_POOL_CLOSED',
    });
  });
});

describe('withSourceCondition', () => {
  it('adds the workspace source condition once', () => {
    expect(withSourceCondition(['--x'])).toEqual(['--x', '--conditions=@uid2-operator/source']);
    expect(withSourceCondition(['--conditions', '@uid2-operator/source'])).toEqual([
      '--conditions',
      '@uid2-operator/source',
    ]);
    expect(withSourceCondition(['--conditions=@uid2-operator/source'])).toEqual([
      '--conditions=@uid2-operator/source',
    ]);
  });
});
