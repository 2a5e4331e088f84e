import { describe, expect, it } from 'vitest';
import { TEST_SECRET_BASE64, countingRandom, fakeOperator } from './test-support/fake-operator.js';
import type { FakeOperatorOptions } from './test-support/fake-operator.js';
import { Uid2Client } from './uid2-client.js';
import { Uid2ClientError } from './uid2-client-error.js';

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

/** A v3 route that maps `x` to `{u: "uid:x"}`, and `bad*` to an unmapped item. */
const v3Route = (): FakeOperatorOptions['encrypted'] => ({
  '/v3/identity/map': async (payload) => {
    const body: Record<string, unknown[]> = { email: [], email_hash: [], phone: [], phone_hash: [] };
    for (const field of Object.keys(body)) {
      const values = (payload?.[field] ?? []) as string[];
      body[field] = values.map((v) =>
        v.startsWith('bad') ? { e: 'invalid identifier' } : { u: `uid:${v}`, p: null, r: 1_767_312_000 },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, values(payload).length % 3));
    return { sealed: { body, status: 'success' } };
  },
});

function values(payload: unknown): string[] {
  return Object.values(payload as Record<string, string[]>).flat();
}

describe('Uid2Client identity mapping', () => {
  it('maps a mixed v3 input in batches and reassembles it in input order', async () => {
    const { uid2, calls } = client(v3Route());
    const email = Array.from({ length: 7 }, (_, i) => `e${i}@x.com`);
    const phone = ['+10000000001', 'bad-phone', '+10000000003'];
    const progress: number[] = [];
    const result = await uid2.identityMapV3(
      { email, phone, emailHash: [] },
      { batchSize: 4, concurrency: 3, onProgress: (done, total) => progress.push(total === 10 ? done : -1) },
    );
    expect(calls.map((c) => c.payload)).toEqual(
      expect.arrayContaining([
        { email: email.slice(0, 4) },
        { email: email.slice(4, 7), phone: phone.slice(0, 1) },
        { phone: phone.slice(1) },
      ]),
    );
    expect(calls).toHaveLength(3);
    expect(result.email.map((item) => item.mapped && item.rawUid)).toEqual(email.map((e) => `uid:${e}`));
    expect(result.phone[1]).toEqual({ mapped: false, reason: 'invalid identifier' });
    expect(result.phone[2]).toEqual({
      mapped: true,
      rawUid: 'uid:+10000000003',
      previousRawUid: null,
      refreshFromSeconds: 1_767_312_000,
    });
    expect(result.emailHash).toEqual([]);
    expect(result.phoneHash).toEqual([]);
    expect(progress.sort((a, b) => a - b).at(-1)).toBe(10);
  });

  it('sends nothing for an empty input', async () => {
    const { uid2, calls } = client(v3Route());
    expect(await uid2.identityMapV3({})).toEqual({ email: [], emailHash: [], phone: [], phoneHash: [] });
    expect(calls).toHaveLength(0);
  });

  it('refuses batch sizes above 5,000 and a zero concurrency', async () => {
    const { uid2 } = client(v3Route());
    await expect(uid2.identityMapV3({ email: ['a'] }, { batchSize: 5_001 })).rejects.toThrow(TypeError);
    await expect(uid2.identityMapV3({ email: ['a'] }, { concurrency: 0 })).rejects.toThrow(TypeError);
  });

  it('fails the whole map when one batch fails and starts no new batch', async () => {
    let n = 0;
    const { uid2, calls } = client({
      '/v3/identity/map': () =>
        ++n === 2
          ? {
              status: 400,
              contentType: 'application/json',
              body: '{"status":"client_error","message":"Incorrect request format"}',
            }
          : {
              sealed: {
                status: 'success',
                body: { email: [{ u: 'x', p: null, r: 1 }], email_hash: [], phone: [], phone_hash: [] },
              },
            },
    });
    const error = await uid2
      .identityMapV3({ email: ['a', 'b', 'c', 'd'] }, { batchSize: 1, concurrency: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Uid2ClientError);
    expect(calls).toHaveLength(2);
  });

  it('rejects an answer array whose length differs from the request', async () => {
    const { uid2 } = client({
      '/v3/identity/map': () => ({
        sealed: { status: 'success', body: { email: [], email_hash: [], phone: [], phone_hash: [] } },
      }),
    });
    await expect(uid2.identityMapV3({ email: ['a'] })).rejects.toMatchObject({ code: 'ERR_RESPONSE_FORMAT' });
    const bad = client({
      '/v3/identity/map': () => ({
        sealed: { status: 'success', body: { email: [{ x: 1 }], email_hash: [], phone: [], phone_hash: [] } },
      }),
    });
    await expect(bad.uid2.identityMapV3({ email: ['a'] })).rejects.toMatchObject({
      code: 'ERR_RESPONSE_FORMAT',
    });
  });

  it('maps with v2 and reads mapped and unmapped lists', async () => {
    const { uid2, calls } = client({
      '/v2/identity/map': () => ({
        sealed: {
          body: {
            mapped: [{ identifier: 'a@b.com', advertising_id: 'AdvId=', bucket_id: 'b1' }],
            unmapped: [{ identifier: 'optout@example.com', reason: 'optout' }],
          },
          status: 'success',
        },
      }),
    });
    const result = await uid2.identityMapV2({ email: ['a@b.com', 'optout@example.com'] });
    expect(calls[0]?.payload).toEqual({ email: ['a@b.com', 'optout@example.com'] });
    expect(result).toEqual({
      mapped: [{ identifier: 'a@b.com', advertisingId: 'AdvId=', bucketId: 'b1' }],
      unmapped: [{ identifier: 'optout@example.com', reason: 'optout' }],
    });
    const empty = client({
      '/v2/identity/map': () => ({ sealed: { body: { mapped: [] }, status: 'success' } }),
    });
    expect(await empty.uid2.identityMapV2({ phone: [] })).toEqual({ mapped: [], unmapped: [] });
  });

  it('asks for rotated buckets with a UTC local date-time', async () => {
    const { uid2, calls } = client({
      '/v2/identity/buckets': () => ({
        sealed: { body: [{ bucket_id: 'abc', last_updated: '2026-01-01T00:00:00.000' }], status: 'success' },
      }),
    });
    const buckets = await uid2.identityBuckets(Date.UTC(2025, 11, 1, 12, 0, 0, 5));
    expect(calls[0]?.payload).toEqual({ since_timestamp: '2025-12-01T12:00:00.005' });
    expect(buckets).toEqual([
      { bucketId: 'abc', lastUpdated: '2026-01-01T00:00:00.000', lastUpdatedMs: Date.UTC(2026, 0, 1) },
    ]);
    await uid2.identityBuckets('2022-06-01T13:00:00');
    expect(calls[1]?.payload).toEqual({ since_timestamp: '2022-06-01T13:00:00' });
  });

  it('checks opt-out status in requests of at most 5,000 ids, results in input order', async () => {
    const { uid2, calls } = client({
      '/v2/optout/status': (payload) => {
        const ids = payload?.['advertising_ids'] as string[];
        const opted = ids
          .filter((id) => id.endsWith('7'))
          .map((id) => ({ advertising_id: id, opted_out_since: 1_000 }));
        return { sealed: { body: { opted_out: opted }, status: 'success' } };
      },
    });
    const ids = Array.from({ length: 12_001 }, (_, i) => `id${i}`);
    const result = await uid2.optoutStatus(ids, { concurrency: 2 });
    expect(calls.map((c) => (c.payload?.['advertising_ids'] as string[]).length)).toEqual([
      5_000, 5_000, 2_001,
    ]);
    expect(result.map((r) => r.advertisingId)).toEqual(ids.filter((id) => id.endsWith('7')));
    expect(result[0]).toEqual({ advertisingId: 'id7', optedOutSinceMs: 1_000 });
  });
});
