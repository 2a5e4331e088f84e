import { describe, expect, it } from 'vitest';
import { TEST_SECRET_BASE64, countingRandom, fakeOperator } from './test-support/fake-operator.js';
import type { FakeOperatorOptions } from './test-support/fake-operator.js';
import { Uid2Client } from './uid2-client.js';
import type { Uid2ClientError } from './uid2-client-error.js';

const secret = Buffer.from(TEST_SECRET_BASE64, 'base64');

function client(routes: FakeOperatorOptions['encrypted']) {
  const operator = fakeOperator({ secret, encrypted: routes });
  const uid2 = new Uid2Client({
    baseUrl: 'http://operator.test',
    apiKey: 'key',
    secret,
    fetch: operator.fetch,
    now: () => 1_767_225_600_000,
    random: countingRandom(),
  });
  return { uid2, calls: operator.calls };
}

describe('Uid2Client key endpoints', () => {
  const key = (id: number, extra: Record<string, number> = {}) => ({
    id,
    created: 1,
    activates: 2,
    expires: 3,
    secret: Buffer.alloc(32, id).toString('base64'),
    ...extra,
  });

  it('reads the sharing, bidstream and latest key responses', async () => {
    const { uid2, calls } = client({
      '/v2/key/sharing': () => ({
        sealed: {
          body: {
            caller_site_id: 123,
            master_keyset_id: 9999999,
            default_keyset_id: 501,
            token_expiry_seconds: '2592000',
            max_sharing_lifetime_seconds: 2592010,
            identity_scope: 'UID2',
            allow_clock_skew_seconds: 1800,
            keys: [key(101, { keyset_id: 9999999 }), key(201)],
            site_data: [{ id: 123, domain_names: ['example.com'] }],
          },
          status: 'success',
        },
      }),
      '/v2/key/bidstream': () => ({
        sealed: {
          body: {
            max_bidstream_lifetime_seconds: 3610,
            identity_scope: 'EUID',
            allow_clock_skew_seconds: 60,
            keys: [key(5)],
          },
          status: 'success',
        },
      }),
      '/v2/key/latest': () => ({ sealed: { body: [key(7, { site_id: 9 })], status: 'success' } }),
    });
    const sharing = await uid2.keySharing();
    expect(calls[0]?.payload).toBeNull();
    expect(sharing).toMatchObject({
      source: 'sharing',
      callerSiteId: 123,
      masterKeysetId: 9999999,
      defaultKeysetId: 501,
      tokenExpirySeconds: 2_592_000,
      maxSharingLifetimeSeconds: 2_592_010,
      identityScope: 'UID2',
      siteData: [{ siteId: 123, domainNames: ['example.com'] }],
    });
    expect(sharing.keys.map((k) => [k.id, k.keysetId])).toEqual([
      [101, 9999999],
      [201, undefined],
    ]);
    expect(sharing.keys[0]?.secret).toEqual(Buffer.alloc(32, 101));
    const bidstream = await uid2.keyBidstream();
    expect(bidstream).toMatchObject({
      source: 'bidstream',
      identityScope: 'EUID',
      maxBidstreamLifetimeSeconds: 3610,
      siteData: [],
    });
    const latest = await uid2.keyLatest();
    expect(latest[0]).toMatchObject({
      id: 7,
      siteId: 9,
      createdSeconds: 1,
      activatesSeconds: 2,
      expiresSeconds: 3,
    });
  });

  it('rejects a key with a short secret or an unknown scope', async () => {
    const { uid2 } = client({
      '/v2/key/bidstream': () => ({
        sealed: { body: { keys: [{ ...key(1), secret: 'AAAA' }] }, status: 'success' },
      }),
      '/v2/key/sharing': () => ({ sealed: { body: { identity_scope: 'XYZ', keys: [] }, status: 'success' } }),
    });
    await expect(uid2.keyBidstream()).rejects.toMatchObject({ code: 'ERR_RESPONSE_FORMAT' });
    await expect(uid2.keySharing()).rejects.toMatchObject({ code: 'ERR_RESPONSE_FORMAT' });
  });

  it('calls any encrypted path with pre-serialized JSON', async () => {
    const { uid2, calls } = client({ '/v2/custom': () => ({ sealed: { status: 'success', body: 1 } }) });
    expect(await uid2.call('/v2/custom', '{"a": 1}')).toEqual({ status: 'success', body: 1 });
    expect(calls[0]?.payload).toEqual({ a: 1 });
    expect((await uid2.call('/v2/missing').catch((e: unknown) => e)) as Uid2ClientError).toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
  });
});
