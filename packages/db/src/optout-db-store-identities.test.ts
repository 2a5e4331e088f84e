import { hash } from 'node:crypto';
import { createBucketIdEncoder, createSaltTableFrom, mapIdentity } from '@uid2-operator/salt-buckets';
import type { SaltBucket } from '@uid2-operator/salt-buckets';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './open-database.js';
import type { AddOptOutIdentitiesInput, OptOutIdentity } from './optout-db-store.js';
import {
  createTestEngine,
  engineNames,
  NOW_MS,
  rawQuery,
  resetDatabase,
} from './test-support/test-database.js';
import type { TestEngine } from './test-support/test-database.js';

const T0 = NOW_MS / 1000;
const sha = (text: string): Buffer => hash('sha256', text, 'buffer');

/** 8 buckets: odd ones produce raw UID v4 from key material, even ones v2/v3 from a salt. */
function table(): SaltBucket[] {
  const bucketId = createBucketIdEncoder('o', 'optout-test');
  return Array.from({ length: 8 }, (_, index) => ({
    index,
    bucketId: bucketId(index),
    lastUpdatedMs: NOW_MS - 86_400_000,
    refreshFromMs: NOW_MS + 86_400_000,
    currentSalt: index % 2 === 0 ? `salt-${index}` : null,
    previousSalt: `previous-${index}`,
    currentKey:
      index % 2 === 1
        ? { id: 100 + index, key: `key12345key12345key12345key1234${index}`, salt: `ks${index}` }
        : null,
    previousKey: null,
  }));
}

const identities: OptOutIdentity[] = Array.from({ length: 24 }, (_, i) => ({
  type: i % 3 === 0 ? 'phone' : 'email',
  diiHash: sha(i % 3 === 0 ? `+1555000${i}` : `person${i}@example.com`),
}));

describe.each(engineNames())('OptOutDbStore.addIdentities on %s', (engineName) => {
  let engine: TestEngine;
  let db: Database;
  const buckets = table();
  const source = createSaltTableFrom('first-level', buckets);
  const input = (extra: Partial<AddOptOutIdentitiesInput> = {}): AddOptOutIdentitiesInput => ({
    identities,
    scope: 'UID2',
    identityV3: false,
    environment: 'test',
    optedOutAtSeconds: T0,
    ...extra,
  });

  beforeAll(async () => {
    engine = await createTestEngine(engineName);
    db = await engine.open();
  });
  afterAll(async () => {
    await db?.close();
    await engine?.dispose();
  });
  beforeEach(async () => {
    await resetDatabase(db);
    await db.salts.importSalts({
      firstLevelSalt: 'first-level',
      idPrefix: 'o',
      idSecret: 's',
      buckets,
      nowMs: NOW_MS,
    });
  });

  it.each([
    ['UID2', false, 'test'],
    ['UID2', true, 'prod'],
    ['EUID', false, 'integ'],
  ] as const)(
    'stores, in scope %s with identityV3 %s in %s, the first-level hash and the raw UID mapIdentity computes',
    async (scope, identityV3, environment) => {
      const result = await db.optouts.addIdentities(input({ scope, identityV3, environment }));
      expect(result.inserted).toBe(24);
      const expected = identities.map((identity) =>
        mapIdentity(identity.diiHash, source, {
          scope,
          type: identity.type,
          environment,
          identityV3,
          nowMs: NOW_MS,
        }),
      );
      expect(new Set(expected.map((mapped) => mapped.rawUid.length))).toEqual(
        new Set([identityV3 ? 33 : 32, 33]),
      );
      expect(result.records).toEqual(
        identities.map((identity, i) => ({
          firstLevelHash: expected[i]!.firstLevelHash,
          advertisingId: expected[i]!.rawUid,
          scope,
          type: identity.type,
          optedOutAtSeconds: T0,
        })),
      );
      for (const mapped of expected) {
        expect(await db.optouts.optedOutSince(mapped.rawUid)).toBe(T0);
        expect(await db.optouts.has(mapped.firstLevelHash, scope)).toBe(true);
      }
    },
  );

  it('fills the advertising id of an opt-out stored without one, and is idempotent', async () => {
    const [first] = identities;
    const mapped = mapIdentity(first!.diiHash, source, {
      scope: 'UID2',
      type: first!.type,
      environment: 'test',
      identityV3: false,
      nowMs: NOW_MS,
    });
    await db.optouts.add([
      {
        firstLevelHash: mapped.firstLevelHash,
        advertisingId: null,
        scope: 'UID2',
        type: 'phone',
        optedOutAtSeconds: T0 - 60,
      },
    ]);
    expect(await db.optouts.optedOutSince(mapped.rawUid)).toBe(-1);
    const cursor = await db.changes.currentCursor();
    expect((await db.optouts.addIdentities(input({ identities: [first!, first!] }))).inserted).toBe(0);
    expect(await db.optouts.optedOutSince(mapped.rawUid)).toBe(T0 - 60);
    expect((await db.optouts.addIdentities(input({ identities: [first!] }))).inserted).toBe(0);
    const { entries } = await db.changes.readSince(cursor);
    expect(entries.map((entry) => [entry.entity, entry.op])).toEqual([['optout', 'update']]);
    expect(await db.optouts.count()).toBe(1);
  });

  it('reads only the salt buckets the identities fall into', async () => {
    const [first] = identities;
    const { bucketIndex } = mapIdentity(first!.diiHash, source, {
      scope: 'UID2',
      type: first!.type,
      environment: 'test',
      identityV3: false,
      nowMs: NOW_MS,
    });
    await rawQuery(db, 'DELETE FROM salt_buckets WHERE idx <> $1', [bucketIndex]);
    expect((await db.optouts.addIdentities(input({ identities: [first!] }))).inserted).toBe(1);
    await rawQuery(db, 'DELETE FROM salt_buckets');
    await expect(db.optouts.addIdentities(input({ identities: [identities[1]!] }))).rejects.toMatchObject({
      code: 'ERR_DB_SALTS_MISSING',
      message: expect.stringMatching(/^salt bucket \d is missing from the database$/),
    });
  });

  it('refuses bad input and missing salts, and does nothing for no identities', async () => {
    expect(await db.optouts.addIdentities(input({ identities: [] }))).toEqual({ inserted: 0, records: [] });
    const bad: Partial<AddOptOutIdentitiesInput>[] = [
      { scope: 'uid2' as 'UID2' },
      { environment: 'local' as 'test' },
      { identityV3: 'yes' as unknown as boolean },
      { optedOutAtSeconds: -1 },
      { identities: [{ type: 'fax' as 'email', diiHash: sha('x') }] },
      { identities: [{ type: 'email', diiHash: Buffer.alloc(16) }] },
      { identities: [{ type: 'email', diiHash: 'abc' as unknown as Uint8Array }] },
      { identities: 'all' as unknown as OptOutIdentity[] },
    ];
    for (const extra of bad) {
      await expect(db.optouts.addIdentities(input(extra))).rejects.toMatchObject({
        code: 'ERR_DB_INVALID_INPUT',
      });
    }
    await resetDatabase(db);
    await expect(db.optouts.addIdentities(input())).rejects.toMatchObject({ code: 'ERR_DB_SALTS_MISSING' });
    expect(await db.optouts.count()).toBe(0);
  });
});
