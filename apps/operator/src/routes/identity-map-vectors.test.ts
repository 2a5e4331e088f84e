import { readFileSync } from 'node:fs';
import type { SaltBucket } from '@uid2-operator/salt-buckets';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { loadVectors, type TestVector } from '../test-support/token-helpers.js';

// test-vectors/first-level-hash-and-raw-uid.json: every vector that selects against the operator's
// 5-bucket test salt table is replayed through /v3/identity/map (item {u, p, r}) and
// /v2/identity/map (advertising_id, bucket_id). The two vectors without a table (raw UID v4 with
// explicit key material) concern salt-buckets alone and are covered by that package.
interface TableRow {
  readonly id: number;
  readonly lastUpdated: number;
  readonly refreshFrom: number;
  readonly currentSalt: string | null;
  readonly previousSalt: string | null;
  readonly currentKey: SaltBucket['currentKey'];
  readonly previousKey: SaltBucket['previousKey'];
}
interface TableSelection {
  readonly bucketRowId: number;
  readonly currentRawUidBase64: string;
  readonly v3IdentityMapItem: { u: string; p: string | null; r: number };
}

const FILE = 'first-level-hash-and-raw-uid.json';
const file = JSON.parse(readFileSync(new URL(`../../test-vectors/${FILE}`, import.meta.url), 'utf8')) as {
  saltTables: { operatorTestSaltTable: { firstLevelSalt: string; rows: TableRow[] } };
};
const table = file.saltTables.operatorTestSaltTable;
const all = loadVectors(FILE);
const tableVectors = all.filter(
  (vector) => 'operatorTestSaltTable' in vector.expected && vector.expected.operatorTestSaltTable !== null,
);
const ALWAYS_OPTED_OUT = new Set(['optout@example.com', '+00000000000']);

const buckets: SaltBucket[] = table.rows.map((row, index) => ({
  index,
  bucketId: `b${row.id}`,
  lastUpdatedMs: row.lastUpdated,
  refreshFromMs: row.refreshFrom,
  currentSalt: row.currentSalt,
  previousSalt: row.previousSalt,
  currentKey: row.currentKey,
  previousKey: row.previousKey,
}));

function requestOf(vector: TestVector): { field: string; value: string } {
  const { identityType, normalizedDii, diiHashBase64 } = vector.input as Record<string, string | undefined>;
  if (normalizedDii !== undefined)
    return { field: identityType === 'phone' ? 'phone' : 'email', value: normalizedDii };
  return { field: identityType === 'phone' ? 'phone_hash' : 'email_hash', value: diiHashBase64 ?? '' };
}

const operators = new Map<string, Promise<TestOperator>>();
function operatorFor(scope: 'UID2' | 'EUID', identityV3: boolean, asOfMs: number): Promise<TestOperator> {
  const key = `${scope}/${String(identityV3)}/${asOfMs}`;
  let operator = operators.get(key);
  if (operator === undefined) {
    operator = createTestOperator({
      now: () => asOfMs,
      bucketCount: buckets.length,
      config: { identityScope: scope, identityV3, identityEnvironment: 'test' },
      prepare: (fixture) => {
        expect(fixture.tables.saltMetadata.firstLevelSalt).toBe(table.firstLevelSalt);
        fixture.buckets.splice(0, fixture.buckets.length, ...buckets);
      },
    });
    operators.set(key, operator);
  }
  return operator;
}

afterAll(async () => {
  for (const operator of operators.values()) await (await operator).close();
});

describe('identity map against first-level-hash-and-raw-uid.json', () => {
  it('covers every vector of the file that uses the operator test salt table', () => {
    expect(tableVectors.length).toBe(19);
    expect(all.length - tableVectors.length).toBe(2);
  });

  for (const vector of tableVectors) {
    for (const identityV3 of [false, true]) {
      it(`maps ${vector.title} (identity_v3=${String(identityV3)})`, async () => {
        const input = vector.input as { identityScope: 'UID2' | 'EUID'; asOfMs: number };
        const selections = vector.expected.operatorTestSaltTable as Record<string, TableSelection>;
        const expected = selections[identityV3 ? 'identityV3True' : 'identityV3False'];
        if (expected === undefined) throw new Error('vector without a selection');
        const operator = await operatorFor(input.identityScope, identityV3, input.asOfMs);
        const { field, value } = requestOf(vector);
        const optedOut = input.identityScope === 'UID2' && ALWAYS_OPTED_OUT.has(value);

        const v3 = await operator.call('/v3/identity/map', { [field]: [value] }, { binary: true });
        expect(v3.statusCode).toBe(200);
        const items = (v3.json as { body: Record<string, unknown[]> }).body[field];
        expect(items).toEqual([optedOut ? { e: 'optout' } : expected.v3IdentityMapItem]);

        const v2 = await operator.call('/v2/identity/map', { [field]: [value] });
        const body = (v2.json as { body: { mapped: unknown[]; unmapped?: unknown[] } }).body;
        if (optedOut) {
          expect(body).toEqual({ mapped: [], unmapped: [{ identifier: value, reason: 'optout' }] });
        } else {
          expect(body).toEqual({
            mapped: [
              {
                identifier: value,
                advertising_id: expected.currentRawUidBase64,
                bucket_id: `b${expected.bucketRowId}`,
              },
            ],
          });
        }
      });
    }
  }
});
