import { diiHashOf } from '@uid2-operator/dii-normalize';
import type { OptOutRecord } from '@uid2-operator/optout';
import { createSaltTableFrom, mapIdentity, type MappedIdentity } from '@uid2-operator/salt-buckets';
import { createTestClient, patchTables, PUBLISHER_SITE, type Fixture, type TestClient } from './fixture.js';
import type { TestOperator } from './harness.js';

/** What the operator's salts map one identifier to (the expected value of map tests). */
export function expectedMapping(
  operator: TestOperator,
  type: 'email' | 'phone',
  form: 'raw' | 'hash',
  value: string,
  nowMs = Date.now(),
): MappedIdentity {
  const dii = diiHashOf(type, form, value);
  if (dii === null) throw new Error('test identifier does not normalize');
  const { config } = operator;
  return mapIdentity(dii, operator.state.salts, {
    scope: config.identityScope,
    type,
    environment: config.identityEnvironment,
    identityV3: config.identityV3,
    nowMs,
  });
}

/**
 * An opt-out record for a raw email under the fixture's salts (call inside `prepare`, then push it to
 * `fixture.optOuts`): first-level hash plus the current raw UID as advertising id.
 */
export function optOutRecordFor(
  fixture: Fixture,
  email: string,
  optedOutAtSeconds: number,
  nowMs = Date.now(),
): OptOutRecord {
  const dii = diiHashOf('email', 'raw', email);
  if (dii === null) throw new Error('test email does not normalize');
  const table = createSaltTableFrom(fixture.tables.saltMetadata.firstLevelSalt, fixture.buckets);
  const mapped = mapIdentity(dii, table, {
    scope: 'UID2',
    type: 'email',
    environment: 'test',
    identityV3: false,
    nowMs,
  });
  return {
    firstLevelHash: mapped.firstLevelHash,
    advertisingId: mapped.rawUid,
    scope: 'UID2',
    type: 'email',
    optedOutAtSeconds,
  };
}

/** A MAPPER client of the publisher site with service id `serviceId`: identity maps refuse it. */
export function serviceMapperClient(serviceId: number): TestClient {
  const service = createTestClient(PUBLISHER_SITE, 'service', ['MAPPER']);
  return { ...service, record: { ...service.record, serviceId } };
}

/**
 * The `prepare` of the identity-map route tests: `opted@example.com` opted out at 1,700,000,000 s
 * (its raw UID as of `nowMs`), and `client`'s API key added.
 */
export function prepareMapFixture(client: TestClient, nowMs = Date.now()): (fixture: Fixture) => void {
  return (fixture) => {
    fixture.optOuts.push(optOutRecordFor(fixture, 'opted@example.com', 1_700_000_000, nowMs));
    patchTables(fixture, { apiKeys: [...fixture.tables.apiKeys, client.record] });
  };
}
