import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient, patchTables, PUBLISHER_SITE } from '../test-support/fixture.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';

// Fixture: keys 101 (master, -1), 102 (refresh, -2), 103 (keyset 2 of site 2, allowed_sites null),
// 104 (keyset 10 of site 999, default, allowed []), 105 (keyset 11 of site 123, allowed [999]);
// site 999 has domains example.com + localhost and app com.uid2.devapp; site 123 has other.org.
interface KeyJson {
  id: number;
  created: number;
  activates: number;
  expires: number;
  secret: string;
  keyset_id?: number;
  site_id?: number;
}

function success(json: unknown): Record<string, unknown> {
  const answer = json as { status: string; body: Record<string, unknown> };
  expect(Object.keys(answer)).toEqual(['body', 'status']);
  expect(answer.status).toBe('success');
  return answer.body;
}

const noDefault = createTestClient(555, 'no default keyset', ['SHARER']);
const reservedSite = createTestClient(2, 'reserved site', ['ID_READER']);

describe('key endpoints', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await createTestOperator({
      prepare: (fixture) =>
        patchTables(fixture, { apiKeys: [...fixture.tables.apiKeys, noDefault.record, reservedSite.record] }),
    });
  });
  afterAll(async () => operator.close());

  const keyOf = (id: number) => {
    const key = operator.state.snapshot.keyRing.byId(id);
    if (key === undefined) throw new Error(`no key ${id}`);
    return {
      id,
      created: key.createdSeconds,
      activates: key.activatesSeconds,
      expires: key.expiresSeconds,
      secret: Buffer.from(key.secret).toString('base64'),
    };
  };

  describe('POST /v2/key/sharing', () => {
    it('serves a SHARER + ID_READER caller its keys with the reference field order and values', async () => {
      const { statusCode, json } = await operator.call('/v2/key/sharing', undefined);
      expect(statusCode).toBe(200);
      const body = success(json);
      expect(Object.keys(body)).toEqual([
        'caller_site_id',
        'master_keyset_id',
        'default_keyset_id',
        'token_expiry_seconds',
        'max_sharing_lifetime_seconds',
        'identity_scope',
        'allow_clock_skew_seconds',
        'keys',
        'site_data',
      ]);
      expect(body).toEqual({
        caller_site_id: PUBLISHER_SITE,
        master_keyset_id: 9_999_999,
        default_keyset_id: 10,
        token_expiry_seconds: '2592000',
        max_sharing_lifetime_seconds: 2_592_010,
        identity_scope: 'UID2',
        allow_clock_skew_seconds: 1800,
        keys: [
          { ...keyOf(101), keyset_id: 9_999_999 },
          keyOf(103),
          { ...keyOf(104), keyset_id: 10 },
          keyOf(105),
        ],
        site_data: [
          { id: 123, domain_names: ['other.org'] },
          { id: 999, domain_names: ['example.com', 'localhost'] },
        ],
      });
      expect(Object.keys((body.keys as KeyJson[])[0] ?? {})).toEqual([
        'id',
        'created',
        'activates',
        'expires',
        'secret',
        'keyset_id',
      ]);
    });

    it('omits max_sharing_lifetime_seconds for ID_READER-only callers and hides allowed_sites-null keysets from SHARER-only ones', async () => {
      const bidder = success(
        (await operator.call('/v2/key/sharing', undefined, { client: operator.fixture.clients.bidder })).json,
      );
      expect(bidder).not.toHaveProperty('max_sharing_lifetime_seconds');
      expect((bidder.keys as KeyJson[]).map((key) => key.id)).toEqual([101, 103, 104, 105]);
      const sharer = success(
        (await operator.call('/v2/key/sharing', undefined, { client: operator.fixture.clients.sharer })).json,
      );
      expect(sharer.max_sharing_lifetime_seconds).toBe(2_592_010);
      expect((sharer.keys as KeyJson[]).map((key) => key.id)).toEqual([101, 104, 105]);
    });

    it('omits default_keyset_id for a site without a default keyset and ignores any JSON sent', async () => {
      const { statusCode, json } = await operator.call(
        '/v2/key/sharing',
        { ignored: [1, 2] },
        { client: noDefault },
      );
      expect(statusCode).toBe(200);
      const body = success(json);
      expect(body).not.toHaveProperty('default_keyset_id');
      expect(body.keys).toEqual([{ ...keyOf(101), keyset_id: 9_999_999 }]);
      expect(body.site_data).toEqual([]);
    });

    it('answers 401 unauthorized to a caller with neither SHARER nor ID_READER', async () => {
      const { statusCode, response } = await operator.call('/v2/key/sharing', undefined, {
        client: operator.fixture.clients.mapper,
      });
      expect(statusCode).toBe(401);
      expect(response.body).toBe('{"status":"unauthorized"}');
    });
  });

  describe('POST /v2/key/bidstream', () => {
    it('serves keys without keyset_id, the bidstream lifetime + 10 s and site_data', async () => {
      const body = success(
        (await operator.call('/v2/key/bidstream', undefined, { client: operator.fixture.clients.bidder }))
          .json,
      );
      expect(Object.keys(body)).toEqual([
        'max_bidstream_lifetime_seconds',
        'identity_scope',
        'allow_clock_skew_seconds',
        'keys',
        'site_data',
      ]);
      expect(body).toEqual({
        max_bidstream_lifetime_seconds: 3610,
        identity_scope: 'UID2',
        allow_clock_skew_seconds: 1800,
        keys: [keyOf(101), keyOf(103), keyOf(104), keyOf(105)],
        site_data: [
          { id: 123, domain_names: ['other.org'] },
          { id: 999, domain_names: ['example.com', 'localhost'] },
        ],
      });
    });

    it('answers 401 unauthorized to a SHARER-only caller', async () => {
      const { statusCode } = await operator.call('/v2/key/bidstream', undefined, {
        client: operator.fixture.clients.sharer,
      });
      expect(statusCode).toBe(401);
    });
  });

  describe('POST /v2/key/latest', () => {
    it('answers a JSON array of keys with the owning site id', async () => {
      const body = (
        await operator.call('/v2/key/latest', undefined, { client: operator.fixture.clients.bidder })
      ).json as {
        body: KeyJson[];
        status: string;
      };
      expect(Object.keys(body)).toEqual(['body', 'status']);
      expect(body.body).toEqual([
        { ...keyOf(101), site_id: -1 },
        { ...keyOf(103), site_id: 2 },
        { ...keyOf(104), site_id: PUBLISHER_SITE },
        { ...keyOf(105), site_id: 123 },
      ]);
    });

    it('answers 401 invalid_client to a caller with a reserved site id', async () => {
      const { statusCode, json } = await operator.call('/v2/key/latest', undefined, { client: reservedSite });
      expect(statusCode).toBe(401);
      expect(json).toEqual({ status: 'invalid_client', message: 'Unexpected client site id 2' });
    });

    it('answers 401 unauthorized to a SHARER-only caller', async () => {
      const { statusCode, response } = await operator.call('/v2/key/latest', undefined, {
        client: operator.fixture.clients.sharer,
      });
      expect(statusCode).toBe(401);
      expect(response.body).toBe('{"status":"unauthorized"}');
    });
  });
});

describe('key endpoints under other configurations', () => {
  it('use the configured lifetimes, scope, clock skew, and merge app names into site_data when asked', async () => {
    const operator = await createTestOperator({
      config: {
        identityScope: 'EUID',
        sharingTokenExpirySeconds: 86_400,
        maxSharingLifetimeSeconds: 172_800,
        maxBidstreamLifetimeSeconds: 7200,
        allowClockSkewSeconds: 60,
        keySharingProvideAppNames: true,
      },
    });
    try {
      const sharing = success((await operator.call('/v2/key/sharing', undefined)).json);
      expect(sharing).toMatchObject({
        token_expiry_seconds: '86400',
        max_sharing_lifetime_seconds: 172_810,
        identity_scope: 'EUID',
        allow_clock_skew_seconds: 60,
      });
      expect(sharing.site_data).toEqual([
        { id: 123, domain_names: ['other.org'] },
        { id: 999, domain_names: ['com.uid2.devapp', 'example.com', 'localhost'] },
      ]);
      const bidstream = success((await operator.call('/v2/key/bidstream', undefined)).json);
      expect(bidstream.max_bidstream_lifetime_seconds).toBe(7210);
    } finally {
      await operator.close();
    }
  });

  it('omit site_data when client-side token generation is off', async () => {
    const operator = await createTestOperator({ config: { clientSideTokenGenerate: false } });
    try {
      expect(success((await operator.call('/v2/key/sharing', undefined)).json)).not.toHaveProperty(
        'site_data',
      );
      expect(success((await operator.call('/v2/key/bidstream', undefined)).json)).not.toHaveProperty(
        'site_data',
      );
    } finally {
      await operator.close();
    }
  });

  it('answer a plain 500 on all three endpoints when no master key is active', async () => {
    const operator = await createTestOperator({
      prepare: (fixture) =>
        patchTables(fixture, {
          keys: fixture.tables.keys.map((key) =>
            key.keysetId === -1 ? { ...key, expiresSeconds: 1_600_000_001 } : key,
          ),
        }),
    });
    try {
      for (const path of ['/v2/key/sharing', '/v2/key/bidstream', '/v2/key/latest']) {
        const { statusCode, response } = await operator.call(path, undefined);
        expect(statusCode).toBe(500);
        expect(response.body).toBe('Internal Server Error');
      }
    } finally {
      await operator.close();
    }
  });

  it('answer a plain 500 to /v2/key/sharing when the caller site has two enabled default keysets', async () => {
    const operator = await createTestOperator({
      prepare: (fixture) =>
        patchTables(fixture, {
          keysets: [
            ...fixture.tables.keysets,
            { keysetId: 12, siteId: PUBLISHER_SITE, allowedSites: [], enabled: true, isDefault: true },
          ],
        }),
    });
    try {
      const { statusCode, response } = await operator.call('/v2/key/sharing', undefined);
      expect(statusCode).toBe(500);
      expect(response.body).toBe('Internal Server Error');
    } finally {
      await operator.close();
    }
  });
});
