import { describe, expect, it } from 'vitest';
import { accessibleKeys } from './accessible-keys.js';
import { MASTER_KEYSET_ID, REFRESH_KEYSET_ID, createKeyRing } from './key-ring.js';
import { key, keyset } from './test-support/keys.js';

const ring = createKeyRing(
  [
    key(9, 900),
    key(1, MASTER_KEYSET_ID, 0, 1),
    key(2, REFRESH_KEYSET_ID),
    key(3, 501, 5_000_000_000),
    key(4, 601),
    key(5, 701),
    key(6, 801),
    key(7, 404),
    key(8, 901),
  ],
  [
    keyset(MASTER_KEYSET_ID, -1, { enabled: false }),
    keyset(REFRESH_KEYSET_ID, -2, { allowedSites: [123] }),
    keyset(501, 123, { enabled: true, allowedSites: [] }),
    keyset(601, 124, { allowedSites: [123] }),
    keyset(701, 125, { allowedSites: null }),
    keyset(801, 126, { allowedSites: [999] }),
    keyset(900, 123, { enabled: false }),
    keyset(901, 127, { enabled: false, allowedSites: [123] }),
  ],
);

const ids = (siteId: number, roles: string[]) => accessibleKeys(ring, { siteId, roles }).map((k) => k.id);

describe('accessibleKeys', () => {
  it('serves a sharer its own keysets, allowed keysets and master keys, never refresh keys', () => {
    expect(ids(123, ['SHARER'])).toEqual([1, 3, 4]);
  });

  it('adds keysets without an allowed-sites list for ID_READER callers', () => {
    expect(ids(123, ['ID_READER'])).toEqual([1, 3, 4, 5]);
    expect(ids(1000, ['ID_READER', 'SHARER'])).toEqual([1, 5]);
  });

  it('includes expired and not-yet-active keys, and master keys of a disabled master keyset', () => {
    expect(ids(123, ['SHARER'])).toContain(1);
    expect(ids(123, ['SHARER'])).toContain(3);
  });

  it('hides keys of disabled or missing keysets', () => {
    expect(ids(123, ['ID_READER'])).not.toContain(9);
    expect(ids(123, ['ID_READER'])).not.toContain(8);
    expect(ids(404, ['ID_READER'])).not.toContain(7);
  });

  it('lists a site in allowedSites only when it is named', () => {
    expect(ids(999, ['SHARER'])).toEqual([1, 6]);
  });
});
