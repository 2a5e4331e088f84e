import { afterEach, describe, expect, it, vi } from 'vitest';
import { BidstreamClient } from './bidstream-client.js';
import { KeyStore } from './key-store.js';
import type { KeysResponse } from './keys-response.js';
import { SharingClient } from './sharing-client.js';
import type { Uid2Client } from './uid2-client.js';

function keys(id: number): KeysResponse {
  return {
    source: 'bidstream',
    identityScope: 'UID2',
    allowClockSkewSeconds: 1800,
    keys: [
      {
        id,
        keysetId: undefined,
        siteId: undefined,
        createdSeconds: 0,
        activatesSeconds: 0,
        expiresSeconds: 4e9,
        secret: Buffer.alloc(32),
      },
    ],
    siteData: [],
    callerSiteId: undefined,
    masterKeysetId: undefined,
    defaultKeysetId: undefined,
    tokenExpirySeconds: undefined,
    maxSharingLifetimeSeconds: undefined,
    maxBidstreamLifetimeSeconds: 3610,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('KeyStore', () => {
  it('has no keys before the first refresh and swaps them on each refresh', async () => {
    let n = 0;
    const store = new KeyStore({ fetchKeys: () => Promise.resolve(keys(++n)) });
    expect(store.snapshot).toBeUndefined();
    await store.refresh();
    expect(store.snapshot?.byId(1)).toBeDefined();
    await store.refresh();
    expect(store.snapshot?.byId(1)).toBeUndefined();
    expect(store.snapshot?.byId(2)).toBeDefined();
  });

  it('shares one download between concurrent refreshes and keeps the old keys when one fails', async () => {
    const fetchKeys = vi
      .fn<() => Promise<KeysResponse>>()
      .mockResolvedValueOnce(keys(1))
      .mockRejectedValueOnce(new Error('down'));
    const store = new KeyStore({ fetchKeys });
    const [a, b] = await Promise.all([store.refresh(), store.refresh()]);
    expect(a).toBe(b);
    expect(fetchKeys).toHaveBeenCalledTimes(1);
    await expect(store.refresh()).rejects.toThrow('down');
    expect(store.snapshot?.byId(1)).toBeDefined();
  });

  it("refreshes in the background on an unref'd timer until stopped", async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let n = 0;
    const store = new KeyStore({
      fetchKeys: () => (++n === 2 ? Promise.reject(new Error('blip')) : Promise.resolve(keys(n))),
      refreshIntervalMs: 1000,
      onRefreshError: (e) => errors.push(e),
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.snapshot?.byId(1)).toBeDefined();
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.snapshot?.byId(3)).toBeDefined();
    store.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(n).toBe(3);
    expect(() => store.startAutoRefresh(0)).toThrow(TypeError);
  });

  it('loads a response obtained elsewhere', () => {
    const store = new KeyStore({ fetchKeys: () => Promise.reject(new Error('unused')) });
    expect(store.load(keys(7)).byId(7)?.id).toBe(7);
  });
});

describe('BidstreamClient and SharingClient', () => {
  const client = {
    keyBidstream: () => Promise.resolve(keys(1)),
    keySharing: () => Promise.resolve({ ...keys(2), source: 'sharing' as const }),
  } as unknown as Uid2Client;

  it('answer NOT_INITIALIZED until their keys are loaded', async () => {
    const bidstream = new BidstreamClient({ client, now: () => 0 });
    const sharing = new SharingClient({ client, now: () => 0, random: () => new Uint8Array(12) });
    expect(bidstream.decryptToken('x').status).toBe('NOT_INITIALIZED');
    expect(sharing.decryptToken('x').status).toBe('NOT_INITIALIZED');
    expect(sharing.encryptRawUid('x')).toEqual({ status: 'NOT_INITIALIZED', token: null });
    await bidstream.refresh();
    await sharing.refresh();
    expect(bidstream.keys.snapshot?.response.source).toBe('bidstream');
    expect(sharing.keys.snapshot?.response.source).toBe('sharing');
    expect(bidstream.decryptToken('AAAA').status).toBe('VERSION_NOT_SUPPORTED');
    expect(sharing.encryptRawUid(Buffer.alloc(32).toString('base64')).status).toBe(
      'NOT_AUTHORIZED_FOR_MASTER_KEY',
    );
    bidstream.close();
    sharing.close();
  });
});
