import { MASTER_KEYSET_ID, REFRESH_KEYSET_ID, type KeyRing } from './key-ring.js';
import type { EncryptionKey } from './types.js';

/** Who asks for keys: the API client's site and roles (e.g. `SHARER`, `ID_READER`). */
export interface KeyCaller {
  readonly siteId: number;
  readonly roles: readonly string[];
}

/**
 * The keys `/v2/key/sharing`, `/v2/key/bidstream` and `/v2/key/latest` serve to a caller
 * (spec/internals.md §4.4, spec/api.md §9): every key whose keyset exists except the refresh keyset
 * (-2), sorted by id, with **no** activation or expiry filter, and visible when its keyset is the
 * master keyset (-1), or is enabled and belongs to the caller's site, or lists the caller in
 * `allowedSites`, or has `allowedSites: null` and the caller holds `ID_READER`.
 */
export function accessibleKeys(ring: KeyRing, caller: KeyCaller): EncryptionKey[] {
  const idReader = caller.roles.includes('ID_READER');
  return ring.keys.filter((key) => {
    const keyset = ring.keyset(key.keysetId);
    if (keyset === undefined || key.keysetId === REFRESH_KEYSET_ID) return false;
    if (key.keysetId === MASTER_KEYSET_ID) return true;
    if (!keyset.enabled) return false;
    if (keyset.siteId === caller.siteId) return true;
    if (keyset.allowedSites === null) return idReader;
    return keyset.allowedSites.includes(caller.siteId);
  });
}
