import { readFileSync } from 'node:fs';
import { createBucketIdEncoder, createSaltTableFrom, mapIdentity } from '@uid2-operator/salt-buckets';
import type { IdentityEnvironment, SaltBucket } from '@uid2-operator/salt-buckets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './open-database.js';
import { createTestEngine, engineNames, rawQuery, resetDatabase } from './test-support/test-database.js';
import type { TestEngine } from './test-support/test-database.js';

// The verified vectors that involve stored data: the operator test salt table (stored, streamed
// back, then mapped), keyset keys and keysets (sharing), and CSTG server keypairs. Vectors that
// only test pure hashing or wire formats (FLH-only raw UID v4 cases, token-with-served-keys,
// cstg-response) have nothing stored and are covered by the domain packages.
function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../test-vectors/${name}`, import.meta.url), 'utf8')) as T;
}

interface KeyMaterialJson {
  id: number;
  key: string;
  salt: string;
}
interface SaltRowJson {
  id: number;
  lastUpdated: number;
  refreshFrom: number;
  currentSalt: string | null;
  previousSalt: string | null;
  currentKey: KeyMaterialJson | null;
  previousKey: KeyMaterialJson | null;
}
interface TableExpectation {
  bucketIndex: number;
  currentRawUidBase64: string;
  previousRawUidBase64: string | null;
  refreshFromMs: number;
}
interface FlhVector {
  title: string;
  input: {
    identityScope: 'UID2' | 'EUID';
    identityType: 'email' | 'phone';
    asOfMs?: number;
    identityEnvironmentForTable?: string;
  };
  expected: {
    diiHashBase64: string;
    firstLevelHashBase64: string;
    operatorTestSaltTable?: { identityV3False: TableExpectation; identityV3True: TableExpectation };
  };
}
interface FlhFile {
  saltTables: { operatorTestSaltTable: { firstLevelSalt: string; rows: SaltRowJson[] } };
  vectors: FlhVector[];
}
interface KeyJson {
  id: number;
  keysetId: number;
  created: number;
  activates: number;
  expires: number;
  secretBase64: string;
}
interface KeysetJson {
  keyset_id: number;
  site_id: number;
  enabled: boolean;
  default: boolean;
  allowed_sites: number[] | null;
}
interface SharingVector {
  title: string;
  kind: string;
  input: {
    keysetKeyStore?: KeyJson[];
    keysets?: KeysetJson[];
    sites?: { id: number; domain_names: string[] }[];
  };
}
interface ServerKeypair {
  subscriptionId: string;
  siteId: number;
  publicKey: string;
  privateKey: string;
  appNames: string[];
  domainNames: string[];
}
interface CstgVector {
  title: string;
  input: { serverKeypair?: ServerKeypair };
}

const flh = load<FlhFile>('first-level-hash-and-raw-uid.json');
const tableVectors = flh.vectors.filter((vector) => vector.expected.operatorTestSaltTable !== undefined);
const sharingVectors = load<{ vectors: SharingVector[] }>('sharing-keys-response.json').vectors.filter(
  (vector) => vector.input.keysetKeyStore !== undefined,
);
const keypairs = [
  ...new Map(
    load<{ vectors: CstgVector[] }>('client-side-generate.json')
      .vectors.flatMap((vector) =>
        vector.input.serverKeypair === undefined ? [] : [vector.input.serverKeypair],
      )
      .map((pair) => [pair.subscriptionId, pair]),
  ).values(),
];

const environmentOf = (vector: FlhVector): IdentityEnvironment =>
  (vector.input.identityEnvironmentForTable ?? 'TEST').toLowerCase() as IdentityEnvironment;

// spec/internals.md §10.1: the operator test salt metadata.
const ID_PREFIX = 'b';
const ID_SECRET = 'HF6Qz42HBbVHINxhh191dB09BCuTWyBkNtrNicO4ZCw=';

describe.each(engineNames())('test vectors through the %s store', (engineName) => {
  let engine: TestEngine;
  let db: Database;

  beforeAll(async () => {
    engine = await createTestEngine(engineName);
    db = await engine.open();
  });
  afterAll(async () => {
    await db?.close();
    await engine?.dispose();
  });

  describe('operator test salt table', () => {
    let stored: SaltBucket[] = [];
    const table = flh.saltTables.operatorTestSaltTable;

    beforeAll(async () => {
      await resetDatabase(db);
      const bucketId = createBucketIdEncoder(ID_PREFIX, ID_SECRET);
      const buckets: SaltBucket[] = table.rows.map((row, index) => ({
        index,
        bucketId: bucketId(row.id),
        lastUpdatedMs: row.lastUpdated,
        refreshFromMs: row.refreshFrom,
        currentSalt: row.currentSalt,
        previousSalt: row.previousSalt,
        currentKey: row.currentKey,
        previousKey: row.previousKey,
      }));
      await db.salts.importSalts({
        firstLevelSalt: table.firstLevelSalt,
        idPrefix: ID_PREFIX,
        idSecret: ID_SECRET,
        buckets,
        nowMs: 0,
      });
      for await (const batch of db.salts.streamBuckets(2)) stored.push(...batch);
      expect(stored).toEqual(buckets);
      expect((await db.loadSnapshot()).saltMetadata).toMatchObject({
        firstLevelSalt: table.firstLevelSalt,
        idSecret: ID_SECRET,
        bucketCount: 5,
      });
    });
    afterAll(() => {
      stored = [];
    });

    it.each(tableVectors.map((vector) => [vector.title, vector] as const))(
      'maps %s as the vector expects',
      (_title, vector) => {
        const source = createSaltTableFrom(table.firstLevelSalt, stored);
        const diiHash = Buffer.from(vector.expected.diiHashBase64, 'base64');
        for (const identityV3 of [false, true]) {
          const expected =
            vector.expected.operatorTestSaltTable![identityV3 ? 'identityV3True' : 'identityV3False'];
          const mapped = mapIdentity(diiHash, source, {
            scope: vector.input.identityScope,
            type: vector.input.identityType,
            environment: environmentOf(vector),
            identityV3,
            nowMs: vector.input.asOfMs ?? 0,
          });
          expect(mapped.bucketIndex).toBe(expected.bucketIndex);
          expect(mapped.rawUid.toString('base64')).toBe(expected.currentRawUidBase64);
          expect(mapped.previousRawUid?.toString('base64') ?? null).toBe(expected.previousRawUidBase64);
          expect(mapped.refreshFromMs).toBe(expected.refreshFromMs);
        }
      },
    );

    it.each(tableVectors.map((vector) => [vector.title, vector] as const))(
      'opts out %s with the first-level hash and current raw UID the vector expects',
      async (_title, vector) => {
        const diiHash = Buffer.from(vector.expected.diiHashBase64, 'base64');
        const optedOutAtSeconds = Math.floor((vector.input.asOfMs ?? 0) / 1000);
        for (const identityV3 of [false, true]) {
          const expected =
            vector.expected.operatorTestSaltTable![identityV3 ? 'identityV3True' : 'identityV3False'];
          await rawQuery(db, 'DELETE FROM optouts');
          const { records } = await db.optouts.addIdentities({
            identities: [{ type: vector.input.identityType, diiHash }],
            scope: vector.input.identityScope,
            identityV3,
            environment: environmentOf(vector),
            optedOutAtSeconds,
          });
          expect(Buffer.from(records[0]!.firstLevelHash).toString('base64')).toBe(
            vector.expected.firstLevelHashBase64,
          );
          const rawUid = Buffer.from(expected.currentRawUidBase64, 'base64');
          expect(records[0]!.advertisingId).toEqual(rawUid);
          expect(await db.optouts.optedOutSince(rawUid)).toBe(optedOutAtSeconds);
        }
      },
    );
  });

  it.each(sharingVectors.map((vector) => [vector.title, vector] as const))(
    'stores and returns the keys, keysets and sites of %s',
    async (_title, vector) => {
      await resetDatabase(db);
      const { keysetKeyStore = [], keysets = [], sites = [] } = vector.input;
      for (const site of sites)
        await db.sites.create({
          id: site.id,
          name: `site ${site.id}`,
          domainNames: site.domain_names,
          nowMs: 0,
        });
      for (const keyset of keysets) {
        await db.keysets.create({
          keysetId: keyset.keyset_id,
          siteId: keyset.site_id,
          allowedSites: keyset.allowed_sites,
          isDefault: keyset.default,
          enabled: keyset.enabled,
          nowMs: 0,
        });
      }
      for (const key of keysetKeyStore) {
        await db.keys.add({
          id: key.id,
          keysetId: key.keysetId,
          nowMs: key.created * 1000,
          activatesSeconds: key.activates,
          expiresSeconds: key.expires,
          secret: Buffer.from(key.secretBase64, 'base64'),
        });
      }
      const snapshot = await db.loadSnapshot();
      expect(snapshot.keys.map((key) => ({ ...key, secret: key.secret.toString('base64') }))).toEqual(
        [...keysetKeyStore]
          .sort((a, b) => a.id - b.id)
          .map((key) => ({
            id: key.id,
            keysetId: key.keysetId,
            secret: key.secretBase64,
            createdSeconds: key.created,
            activatesSeconds: key.activates,
            expiresSeconds: key.expires,
          })),
      );
      expect(
        snapshot.keysets.map((k) => [k.keysetId, k.siteId, k.allowedSites, k.isDefault, k.enabled]),
      ).toEqual(
        [...keysets]
          .sort((a, b) => a.keyset_id - b.keyset_id)
          .map((k) => [k.keyset_id, k.site_id, k.allowed_sites, k.default, k.enabled]),
      );
      expect(snapshot.sites.map((site) => [site.id, site.domainNames])).toEqual(
        sites.map((site) => [site.id, site.domain_names]),
      );
    },
  );

  it.each(keypairs.map((pair) => [pair.subscriptionId, pair] as const))(
    'stores and returns CSTG keypair %s',
    async (_id, pair) => {
      await resetDatabase(db);
      await db.sites.create({
        id: pair.siteId,
        name: 'cstg',
        domainNames: pair.domainNames,
        appNames: pair.appNames,
        nowMs: 0,
      });
      await db.keypairs.importKeypair({ ...pair, nowMs: 0 });
      const snapshot = await db.loadSnapshot();
      expect(snapshot.keypairs).toEqual([
        {
          subscriptionId: pair.subscriptionId,
          siteId: pair.siteId,
          publicKey: pair.publicKey,
          privateKey: pair.privateKey,
          disabled: false,
          name: '',
          contact: '',
          createdSeconds: 0,
        },
      ]);
      expect(snapshot.sites[0]).toMatchObject({ appNames: pair.appNames, domainNames: pair.domainNames });
    },
  );
});
