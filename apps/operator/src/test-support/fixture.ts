import { hash, randomBytes } from 'node:crypto';
import type { OptOutRecord } from '@uid2-operator/optout';
import type { SaltBucket } from '@uid2-operator/salt-buckets';
import type { EncryptionKey, Keyset } from '@uid2-operator/token-core';
import type { ApiClient, Role } from '../state/api-keys.js';
import type { CstgKeypairRecord } from '../state/cstg-keypairs.js';
import type { SmallTables } from '../state/state-source.js';

/** A test API client with its plaintext credentials. */
export interface TestClient {
  readonly key: string;
  /** Base64 of the 32-byte secret. */
  readonly secret: string;
  readonly record: ApiClient;
}

/** First-level salt of the operator's own test data (spec/internals.md §10.1). */
export const TEST_FIRST_LEVEL_SALT = 'fOGY/aRE44peL23i+cE9MkJrzmEeNZZziNZBfq7qqk8=';
/** The publisher site most tests act as. */
export const PUBLISHER_SITE = 999;
/** A second publisher site. */
export const OTHER_SITE = 123;

/** The CSTG test keypair of spec/internals.md §10.1 (served for {@link PUBLISHER_SITE} here). */
export const TEST_KEYPAIR = {
  subscriptionId: '4WvryDGbR5',
  publicKey:
    'UID2-X-L-MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtXJdTSZAYHvoRDWiehMHoWF1BNPuqLs5w2ZHiAZ1IJc7O4/z0ojPTB0V+KYX/wxQK0hxx6kxCvHj335eI/ZQsQ==',
  privateKey:
    'UID2-Y-L-MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCC5kOSRVD+qhAZqf0L4LGbmAhdy5HpIptwXE72jxhwo6w==',
} as const;

function client(
  siteId: number,
  name: string,
  roles: Role[],
  disabled = false,
  secret = randomBytes(32),
): TestClient {
  const random = randomBytes(32).toString('base64');
  const key = `UID2-C-L-${siteId}-${random.slice(0, 6)}.${random.slice(6, 44)}`;
  const salt = randomBytes(32);
  return {
    key,
    secret: secret.toString('base64'),
    record: {
      keyId: key.slice(0, key.indexOf('-', 9) + 6),
      keyHash: hash('sha512', Buffer.concat([salt, Buffer.from(key)]), 'base64'),
      keySalt: salt.toString('base64'),
      secret,
      roles,
      siteId,
      disabled,
      serviceId: 0,
      name,
    },
  };
}

function key(
  id: number,
  keysetId: number,
  activatesSeconds = 1_600_000_000,
  expiresSeconds = 4_000_000_000,
): EncryptionKey {
  return {
    id,
    keysetId,
    secret: randomBytes(32),
    createdSeconds: activatesSeconds,
    activatesSeconds,
    expiresSeconds,
  };
}

/** Builds `count` salt buckets; bucket 1 uses raw UID v4 key material, bucket 2 rotated recently. */
export function testBuckets(count: number, nowMs: number): SaltBucket[] {
  const buckets: SaltBucket[] = [];
  for (let index = 0; index < count; index++) {
    const recent = index % 4 === 2;
    const v4 = index % 4 === 1;
    buckets.push({
      index,
      bucketId: `b${String(1_000_000 + index)}`,
      lastUpdatedMs: recent ? nowMs - 10 * 86_400_000 : nowMs - 200 * 86_400_000,
      refreshFromMs: nowMs + 86_400_000,
      currentSalt: v4 ? null : randomBytes(32).toString('base64'),
      previousSalt: recent ? randomBytes(32).toString('base64') : null,
      currentKey: v4
        ? {
            id: 2_000_000 + index,
            key: randomBytes(16).toString('hex'),
            salt: randomBytes(16).toString('hex'),
          }
        : null,
      previousKey: null,
    });
  }
  return buckets;
}

/** Everything a route test needs: tables, buckets, opt-outs and the plaintext client credentials. */
export interface Fixture {
  readonly tables: SmallTables;
  readonly buckets: SaltBucket[];
  readonly optOuts: OptOutRecord[];
  readonly clients: {
    /** Site 999, every role. */
    readonly all: TestClient;
    readonly generator: TestClient;
    readonly mapper: TestClient;
    readonly sharer: TestClient;
    readonly bidder: TestClient;
    readonly optout: TestClient;
    /** Site 123, every role. */
    readonly other: TestClient;
    readonly disabled: TestClient;
  };
  readonly keys: {
    readonly master: EncryptionKey;
    readonly refresh: EncryptionKey;
    readonly site: EncryptionKey;
  };
}

/** A fresh fixture with random keys and secrets. `nowMs` anchors bucket rotation times. */
export function createFixture(nowMs: number, bucketCount = 16): Fixture {
  const allRoles: Role[] = ['GENERATOR', 'MAPPER', 'ID_READER', 'SHARER', 'OPTOUT'];
  const clients = {
    all: client(PUBLISHER_SITE, 'all roles', allRoles),
    generator: client(PUBLISHER_SITE, 'generator', ['GENERATOR']),
    mapper: client(PUBLISHER_SITE, 'mapper', ['MAPPER']),
    sharer: client(PUBLISHER_SITE, 'sharer', ['SHARER']),
    bidder: client(PUBLISHER_SITE, 'bidder', ['ID_READER']),
    optout: client(PUBLISHER_SITE, 'optout', ['OPTOUT']),
    other: client(OTHER_SITE, 'other site', allRoles),
    disabled: client(PUBLISHER_SITE, 'disabled', allRoles, true),
  };
  const keysets: Keyset[] = [
    { keysetId: -1, siteId: -1, allowedSites: null, enabled: true, isDefault: true },
    { keysetId: -2, siteId: -2, allowedSites: null, enabled: true, isDefault: true },
    { keysetId: 2, siteId: 2, allowedSites: null, enabled: true, isDefault: true },
    { keysetId: 10, siteId: PUBLISHER_SITE, allowedSites: [], enabled: true, isDefault: true },
    { keysetId: 11, siteId: OTHER_SITE, allowedSites: [PUBLISHER_SITE], enabled: true, isDefault: true },
  ];
  const master = key(101, -1);
  const refresh = key(102, -2);
  const site = key(104, 10);
  const keys = [master, refresh, key(103, 2), site, key(105, 11)];
  const keypairs: CstgKeypairRecord[] = [
    { ...TEST_KEYPAIR, siteId: PUBLISHER_SITE, disabled: false },
    {
      subscriptionId: 'disabledKp',
      siteId: PUBLISHER_SITE,
      publicKey: TEST_KEYPAIR.publicKey,
      privateKey: TEST_KEYPAIR.privateKey,
      disabled: true,
    },
  ];
  return {
    tables: {
      sites: [
        {
          id: PUBLISHER_SITE,
          enabled: true,
          domainNames: ['example.com', 'localhost'],
          appNames: ['com.uid2.devapp'],
        },
        { id: OTHER_SITE, enabled: true, domainNames: ['other.org'], appNames: [] },
      ],
      apiKeys: Object.values(clients).map((c) => c.record),
      keysets,
      keys,
      keypairs,
      saltMetadata: { firstLevelSalt: TEST_FIRST_LEVEL_SALT, bucketCount },
    },
    buckets: testBuckets(bucketCount, nowMs),
    optOuts: [],
    clients,
    keys: { master, refresh, site },
  };
}

/**
 * A test API client with a random key, optionally with a known secret (base64 of 32 bytes), e.g. to
 * replay request envelopes of the test vectors. Add its `record` to the tables with {@link patchTables}.
 */
export function createTestClient(
  siteId: number,
  name: string,
  roles: Role[],
  options: { readonly disabled?: boolean; readonly secretBase64?: string } = {},
): TestClient {
  const secret =
    options.secretBase64 === undefined ? randomBytes(32) : Buffer.from(options.secretBase64, 'base64');
  return client(siteId, name, roles, options.disabled ?? false, secret);
}

/**
 * Replaces whole tables of a fixture (use inside `prepare`, before the state loads), e.g. other keys,
 * sites, API keys or CSTG keypairs.
 */
export function patchTables(fixture: Fixture, patch: Partial<SmallTables>): void {
  Object.assign(fixture.tables, patch);
}
