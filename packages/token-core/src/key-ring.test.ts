import { describe, expect, it } from 'vitest';
import {
  FALLBACK_PUBLISHER_KEYSET_ID,
  MASTER_KEYSET_ID,
  MASTER_KEYSET_ID_FOR_SDKS,
  REFRESH_KEYSET_ID,
  createKeyRing,
} from './key-ring.js';
import { key, keyset } from './test-support/keys.js';

const T = 1_700_000_000; // seconds
const ms = (seconds: number) => seconds * 1000;

describe('createKeyRing active key rule', () => {
  const ring = createKeyRing(
    [
      key(1, 10, T - 100, T + 100),
      key(2, 10, T - 50, T + 100),
      key(3, 10, T + 10, T + 200),
      key(4, 10, T - 50, T - 1),
    ],
    [keyset(10, 100)],
  );

  it('picks the latest activation among keys with activates <= now < expires', () => {
    expect(ring.activeKey(10, ms(T))?.id).toBe(2);
    expect(ring.activeKey(10, ms(T + 10))?.id).toBe(3);
  });

  it('treats activation as inclusive and expiry as exclusive, in milliseconds', () => {
    expect(ring.activeKey(10, ms(T + 10) - 1)?.id).toBe(2);
    expect(ring.activeKey(10, ms(T - 100))?.id).toBe(1);
    expect(ring.activeKey(10, ms(T - 100) - 1)).toBeUndefined();
    expect(ring.activeKey(10, ms(T + 200))).toBeUndefined();
    expect(ring.activeKey(10, ms(T + 200) - 1)?.id).toBe(3);
  });

  it('skips back over an expired later key', () => {
    const skipping = createKeyRing([key(1, 10, T - 100, T + 100), key(2, 10, T - 10, T - 5)], []);
    expect(skipping.activeKey(10, ms(T))?.id).toBe(1);
  });

  it('breaks activation ties by the higher key id', () => {
    const tied = createKeyRing([key(8, 10, T, T + 10), key(7, 10, T, T + 10)], []);
    expect(tied.activeKey(10, ms(T))?.id).toBe(8);
  });

  it('has no active key for an unknown keyset', () => {
    expect(ring.activeKey(99, ms(T))).toBeUndefined();
  });
});

describe('createKeyRing lookups', () => {
  const ring = createKeyRing(
    [
      key(5, 501),
      key(1, MASTER_KEYSET_ID),
      key(2, REFRESH_KEYSET_ID),
      key(3, FALLBACK_PUBLISHER_KEYSET_ID),
      key(6, 601, T + 1000),
    ],
    [
      keyset(MASTER_KEYSET_ID, -1),
      keyset(REFRESH_KEYSET_ID, -2),
      keyset(FALLBACK_PUBLISHER_KEYSET_ID, 2),
      keyset(501, 123),
      keyset(502, 123, { isDefault: false }),
      keyset(601, 124),
      keyset(701, 125, { enabled: false }),
    ],
  );

  it('finds keys by id whatever their keyset and lists them sorted by id', () => {
    expect(ring.byId(6)?.keysetId).toBe(601);
    expect(ring.byId(99)).toBeUndefined();
    expect(ring.keys.map((k) => k.id)).toEqual([1, 2, 3, 5, 6]);
    expect(Object.isFrozen(ring.keys)).toBe(true);
    expect(ring.keyset(502)?.isDefault).toBe(false);
  });

  it('serves the master and refresh keys', () => {
    expect(ring.masterKey(ms(T))?.id).toBe(1);
    expect(ring.refreshKey(ms(T))?.id).toBe(2);
  });

  it('knows each site’s enabled default keyset', () => {
    expect(ring.defaultKeysetOf(123)?.keysetId).toBe(501);
    expect(ring.defaultKeysetOf(125)).toBeUndefined();
    expect(ring.defaultKeysetOf(999)).toBeUndefined();
  });

  it('falls back to site 2 when a site has no default keyset or no active key in it', () => {
    expect(ring.siteKey(123, ms(T))?.id).toBe(5);
    expect(ring.siteKey(999, ms(T))?.id).toBe(3);
    expect(ring.siteKey(125, ms(T))?.id).toBe(3);
    expect(ring.siteKey(124, ms(T))?.id).toBe(3);
    expect(ring.siteKey(124, ms(T + 1000))?.id).toBe(6);
  });

  it('has no site key when site 2 has none either', () => {
    const bare = createKeyRing([key(1, MASTER_KEYSET_ID)], [keyset(MASTER_KEYSET_ID, -1)]);
    expect(bare.siteKey(123, ms(T))).toBeUndefined();
  });

  it('reports the SDK master keyset id', () => {
    expect(MASTER_KEYSET_ID_FOR_SDKS).toBe(9_999_999);
  });
});

describe('createKeyRing inconsistent data', () => {
  it('throws when a site has two enabled default keysets, but only for that site', () => {
    const ring = createKeyRing(
      [key(1, 501), key(2, 502), key(3, 601)],
      [keyset(501, 123), keyset(502, 123), keyset(601, 124)],
    );
    expect(() => ring.defaultKeysetOf(123)).toThrow('more than one enabled default keyset');
    expect(() => ring.siteKey(123, ms(T))).toThrow(Error);
    expect(ring.siteKey(124, ms(T))?.id).toBe(3);
  });

  it('refuses duplicate key and keyset ids', () => {
    expect(() => createKeyRing([key(1, 1), key(1, 2)], [])).toThrow(TypeError);
    expect(() => createKeyRing([], [keyset(1, 1), keyset(1, 2)])).toThrow(TypeError);
  });
});
