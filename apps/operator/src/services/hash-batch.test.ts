import { createSaltTable, createSaltTableFrom, mapIdentity } from '@uid2-operator/salt-buckets';
import { diiHashOf } from '@uid2-operator/dii-normalize';
import { describe, expect, it } from 'vitest';
import { TEST_FIRST_LEVEL_SALT, testBuckets } from '../test-support/fixture.js';
import { concatHashed, FLH_BYTES, hashIdentities, type HashInput, type MapSettings } from './hash-batch.js';
import { HashWorkerState } from './hash-worker-protocol.js';

const NOW = 1_800_000_000_000;
const settings: MapSettings = { scope: 'UID2', environment: 'test', identityV3: false };
const buckets = testBuckets(16, NOW);
const table = createSaltTableFrom(TEST_FIRST_LEVEL_SALT, buckets);
const emails: HashInput = {
  type: 'email',
  form: 'raw',
  values: ['a@example.com', 'not an email', 'B.b@Gmail.com', '', 'c+tag@example.org', 'd@example.net'],
};

describe('hashIdentities', () => {
  it('matches mapIdentity for every valid identifier and marks invalid ones with a null raw UID (v3 fields)', () => {
    const result = hashIdentities(table, settings, emails, NOW, 'v3');
    expect(result.count).toBe(6);
    expect(result.bucketIds).toEqual([]);
    emails.values.forEach((value, i) => {
      const dii = diiHashOf('email', 'raw', value);
      if (dii === null) {
        expect(result.rawUids[i]).toBeNull();
        expect(result.previousRawUids[i]).toBeNull();
        return;
      }
      const mapped = mapIdentity(dii, table, { ...settings, type: 'email', nowMs: NOW });
      expect(result.rawUids[i]).toBe(mapped.rawUid.toString('base64'));
      expect(result.previousRawUids[i]).toBe(mapped.previousRawUid?.toString('base64') ?? null);
      expect(result.refreshFromMs[i]).toBe(mapped.refreshFromMs);
      expect(Buffer.from(result.firstLevelHashes.subarray(i * FLH_BYTES, (i + 1) * FLH_BYTES))).toEqual(
        mapped.firstLevelHash,
      );
    });
  });

  it('returns bucket ids instead of previous raw UIDs and refresh times for v2', () => {
    const result = hashIdentities(table, settings, emails, NOW, 'v2');
    expect(result.previousRawUids).toEqual([]);
    expect(result.refreshFromMs).toHaveLength(0);
    const dii = diiHashOf('email', 'raw', 'a@example.com');
    expect(dii).not.toBeNull();
    const mapped = mapIdentity(dii ?? Buffer.alloc(32), table, { ...settings, type: 'email', nowMs: NOW });
    expect(result.bucketIds[0]).toBe(mapped.bucketId);
    expect(result.bucketIds[1]).toBeNull();
  });

  it('hashes only the requested range', () => {
    const whole = hashIdentities(table, settings, emails, NOW, 'v3');
    const part = hashIdentities(table, settings, emails, NOW, 'v3', 2, 5);
    expect(part.count).toBe(3);
    expect(part.rawUids).toEqual(whole.rawUids.slice(2, 5));
    expect(part.firstLevelHashes).toEqual(whole.firstLevelHashes.subarray(2 * FLH_BYTES, 5 * FLH_BYTES));
  });
});

describe('concatHashed', () => {
  it('joins runs back into the result of hashing them at once', () => {
    for (const output of ['v2', 'v3'] as const) {
      const whole = hashIdentities(table, settings, emails, NOW, output);
      const joined = concatHashed([
        hashIdentities(table, settings, emails, NOW, output, 0, 1),
        hashIdentities(table, settings, emails, NOW, output, 1, 4),
        hashIdentities(table, settings, emails, NOW, output, 4, 6),
      ]);
      expect(joined).toEqual(whole);
    }
  });

  it('gives an empty result for no runs', () => {
    expect(concatHashed([]).count).toBe(0);
  });
});

describe('HashWorkerState', () => {
  it('reads the shared salt table it is sent, the latest one, and answers hash jobs like the main thread', () => {
    const state = new HashWorkerState();
    const ready = state.handle({ kind: 'init', nice: 0, settings });
    expect(ready).toEqual({ message: { kind: 'ready' }, transfer: [] });
    const partial = createSaltTable({ firstLevelSalt: TEST_FIRST_LEVEL_SALT, bucketCount: 16 });
    partial.setAll(buckets.slice(0, 8));
    expect(
      state.handle({ kind: 'salt-table', state: partial.exportState({ shared: true }) }),
    ).toBeUndefined();
    expect(state.handle({ kind: 'salt-table', state: table.exportState({ shared: true }) })).toBeUndefined();
    const reply = state.handle({
      kind: 'job',
      id: 7,
      attempt: 0,
      work: { kind: 'hash', input: emails, nowMs: NOW, output: 'v3' },
    });
    expect(reply?.message).toEqual({
      kind: 'hashed',
      id: 7,
      result: hashIdentities(table, settings, emails, NOW, 'v3'),
    });
    expect(reply?.transfer).toHaveLength(2);
  });

  it('answers failed with the error code when a selected bucket is missing', () => {
    const state = new HashWorkerState();
    state.handle({ kind: 'init', settings, nice: 0 });
    const empty = createSaltTable({ firstLevelSalt: TEST_FIRST_LEVEL_SALT, bucketCount: 16 });
    state.handle({ kind: 'salt-table', state: empty.exportState() });
    const reply = state.handle({
      kind: 'job',
      id: 1,
      attempt: 0,
      work: { kind: 'hash', input: emails, nowMs: NOW, output: 'v2' },
    });
    expect(reply?.message).toEqual({ kind: 'failed', id: 1, code: 'ERR_SALT_BUCKET_MISSING' });
  });

  it('answers failed for a job before init', () => {
    const state = new HashWorkerState();
    const reply = state.handle({
      kind: 'job',
      id: 2,
      attempt: 0,
      work: { kind: 'hash', input: emails, nowMs: NOW, output: 'v2' },
    });
    expect(reply?.message).toEqual({ kind: 'failed', id: 2, code: 'Error' });
  });
});
