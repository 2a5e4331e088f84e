import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bucketIndex,
  createBucketIdEncoder,
  createFirstLevelHasher,
  createSaltTableFrom,
  firstLevelHash,
  mapIdentity,
  parseSaltFile,
  parseSaltFileLine,
  rawUidV2,
  rawUidV3,
  rawUidV4,
  rawUidV4MetaByte,
  toV3IdentityMapItem,
} from './index.js';
import type {
  IdentityEnvironment,
  IdentityScope,
  IdentityType,
  KeyMaterial,
  SaltBucket,
  SaltSource,
} from './index.js';

interface V4Expected {
  metaByte: number;
  base64: string;
  hex: string;
}
interface TableSelection {
  bucketIndex: number;
  currentMaterial: 'salt' | 'keyMaterial';
  currentRawUidBase64: string;
  previousRawUidBase64: string | null;
  refreshFromMs: number;
  v3IdentityMapItem: { u: string; p: string | null; r: number };
}
interface Vector {
  title: string;
  input: {
    identityScope: IdentityScope;
    identityType: IdentityType;
    normalizedDii?: string;
    diiHashBase64?: string;
    firstLevelSalt: string;
    referenceSalt?: string;
    referenceKeyMaterial?: KeyMaterial;
    keyMaterial?: KeyMaterial;
    saltTable?: string;
    identityEnvironmentForTable?: string;
    asOfMs?: number;
  };
  expected: {
    diiHashBase64?: string;
    firstLevelHashBase64: string;
    firstLevelHashHex?: string;
    bucketIndexFor1048576Buckets?: number;
    bucketIndexFor5Buckets?: number;
    rawUidV2Base64?: string;
    rawUidV2Hex?: string;
    rawUidV3Base64?: string;
    rawUidV3Hex?: string;
    rawUidV4?: Partial<Record<'TEST' | 'INTEG' | 'PROD', V4Expected>>;
    operatorTestSaltTable?: { identityV3False: TableSelection; identityV3True: TableSelection };
    metaByte?: number;
    ivHex?: string;
    encryptedHashHex?: string;
    checksumByte?: number;
    rawUidV4Base64?: string;
    rawUidV4Hex?: string;
    keyIdBytesHex?: string;
  };
}
interface RawRow {
  id: number;
  lastUpdated: number;
  currentSalt: string | null;
  refreshFrom: number;
  previousSalt: string | null;
  currentKey: KeyMaterial | null;
  previousKey: KeyMaterial | null;
}

const file = JSON.parse(
  readFileSync(new URL('../test-vectors/first-level-hash-and-raw-uid.json', import.meta.url), 'utf8'),
) as {
  vectors: Vector[];
  saltTables: { operatorTestSaltTable: { firstLevelSalt: string; csvLines: string[]; rows: RawRow[] } };
};
const tableData = file.saltTables.operatorTestSaltTable;
// Operator test salt metadata (spec/internals.md §10.1).
const bucketIdOf = createBucketIdEncoder('b', 'HF6Qz42HBbVHINxhh191dB09BCuTWyBkNtrNicO4ZCw=');
const buckets = parseSaltFile(`${tableData.csvLines.join('\n')}\n`, bucketIdOf);
const table = createSaltTableFrom(tableData.firstLevelSalt, buckets);
// A plain SaltSource exercises the generic (string-based) mapping path.
const plainSource: SaltSource = {
  firstLevelSalt: tableData.firstLevelSalt,
  bucketCount: buckets.length,
  bucket: (index: number): SaltBucket => buckets[index] as SaltBucket,
};
const ENVIRONMENTS: Record<'TEST' | 'INTEG' | 'PROD', IdentityEnvironment> = {
  TEST: 'test',
  INTEG: 'integ',
  PROD: 'prod',
};

function diiHashOf(input: Vector['input']): Buffer {
  if (input.diiHashBase64 !== undefined) return Buffer.from(input.diiHashBase64, 'base64');
  return hash('sha256', input.normalizedDii ?? '', 'buffer');
}

describe('operatorTestSaltTable', () => {
  it('parses every CSV line to the listed row', () => {
    expect(tableData.csvLines).toHaveLength(tableData.rows.length);
    tableData.csvLines.forEach((line, index) => {
      const row = tableData.rows[index]!;
      expect(parseSaltFileLine(line, index)).toEqual({
        id: row.id,
        lastUpdatedMs: row.lastUpdated,
        currentSalt: row.currentSalt,
        refreshFromMs: row.refreshFrom,
        previousSalt: row.previousSalt,
        currentKey: row.currentKey,
        previousKey: row.previousKey,
      });
      expect(table.bucket(index)).toEqual(buckets[index]);
    });
  });
});

describe('first-level-hash-and-raw-uid.json vectors', () => {
  it('has the expected number of vectors', () => {
    expect(file.vectors).toHaveLength(21);
  });

  it.each(file.vectors.map((v) => [v.title, v] as const))('%s', (_title, v) => {
    const { input, expected } = v;
    const diiHash = diiHashOf(input);
    if (expected.diiHashBase64 !== undefined) expect(diiHash.toString('base64')).toBe(expected.diiHashBase64);

    const flh = firstLevelHash(diiHash, input.firstLevelSalt);
    expect(flh.toString('base64')).toBe(expected.firstLevelHashBase64);
    expect(createFirstLevelHasher(input.firstLevelSalt)(diiHash)).toEqual(flh);
    if (expected.firstLevelHashHex !== undefined)
      expect(flh.toString('hex')).toBe(expected.firstLevelHashHex);
    if (expected.bucketIndexFor1048576Buckets !== undefined) {
      expect(bucketIndex(flh, 1_048_576)).toBe(expected.bucketIndexFor1048576Buckets);
      expect(bucketIndex(flh, 5)).toBe(expected.bucketIndexFor5Buckets);
    }

    if (input.referenceSalt !== undefined) {
      const v2 = rawUidV2(flh, input.referenceSalt);
      expect(v2.toString('base64')).toBe(expected.rawUidV2Base64);
      expect(v2.toString('hex')).toBe(expected.rawUidV2Hex);
      const v3 = rawUidV3(flh, input.referenceSalt, input.identityScope, input.identityType);
      expect(v3.toString('base64')).toBe(expected.rawUidV3Base64);
      expect(v3.toString('hex')).toBe(expected.rawUidV3Hex);
    }

    const keyMaterial = input.referenceKeyMaterial ?? input.keyMaterial;
    for (const [name, want] of Object.entries(expected.rawUidV4 ?? {})) {
      const meta = rawUidV4MetaByte(input.identityScope, input.identityType, ENVIRONMENTS[name as 'TEST']);
      expect(meta).toBe(want.metaByte);
      const v4 = rawUidV4(flh, keyMaterial!, meta);
      expect(v4.toString('base64')).toBe(want.base64);
      expect(v4.toString('hex')).toBe(want.hex);
      if (expected.keyIdBytesHex !== undefined)
        expect(v4.subarray(1, 4).toString('hex')).toBe(expected.keyIdBytesHex);
    }

    if (expected.rawUidV4Base64 !== undefined) {
      const meta = rawUidV4MetaByte(input.identityScope, input.identityType, 'test');
      expect(meta).toBe(expected.metaByte);
      const v4 = rawUidV4(flh, keyMaterial!, meta);
      expect(v4.toString('base64')).toBe(expected.rawUidV4Base64);
      expect(v4.toString('hex')).toBe(expected.rawUidV4Hex);
      expect(v4.subarray(4, 16).toString('hex')).toBe(expected.ivHex);
      expect(v4.subarray(16, 32).toString('hex')).toBe(expected.encryptedHashHex);
      expect(v4[32]).toBe(expected.checksumByte);
    }

    const selections = expected.operatorTestSaltTable;
    if (selections === undefined) return;
    expect(input.saltTable).toBe('operatorTestSaltTable');
    expect(input.firstLevelSalt).toBe(tableData.firstLevelSalt);
    expect(input.identityEnvironmentForTable).toBe('TEST');
    for (const [identityV3, want] of [
      [false, selections.identityV3False],
      [true, selections.identityV3True],
    ] as const) {
      const options = {
        scope: input.identityScope,
        type: input.identityType,
        environment: 'test',
        identityV3,
        nowMs: input.asOfMs!,
      } as const;
      for (const source of [table, plainSource]) {
        const mapped = mapIdentity(diiHash, source, options);
        expect(mapped.firstLevelHash).toEqual(flh);
        expect(mapped.bucketIndex).toBe(want.bucketIndex);
        expect(mapped.bucketId).toBe(buckets[want.bucketIndex]!.bucketId);
        expect(mapped.bucket.currentSalt === null ? 'keyMaterial' : 'salt').toBe(want.currentMaterial);
        expect(mapped.rawUid.toString('base64')).toBe(want.currentRawUidBase64);
        expect(mapped.previousRawUid?.toString('base64') ?? null).toBe(want.previousRawUidBase64);
        expect(mapped.refreshFromMs).toBe(want.refreshFromMs);
        expect(toV3IdentityMapItem(mapped)).toEqual(want.v3IdentityMapItem);
      }
    }
  });
});
