import type { BidstreamKey, SiteData } from '@uid2-operator/api-contracts';
import { accessibleKeys, type EncryptionKey, type KeyRing } from '@uid2-operator/token-core';
import type { OperatorConfig } from '../config.js';
import type { ApiClient } from '../state/api-keys.js';
import type { SiteInfo } from '../state/state-source.js';

/** Thrown when no master key is active: the key endpoints answer a plain 500 (spec/api.md §9). */
export class NoActiveMasterKeyError extends Error {
  override readonly name = 'NoActiveMasterKeyError';
  readonly code = 'ERR_NO_ACTIVE_MASTER_KEY';
}

/**
 * The keys a caller may download (spec/internals.md §4.4 via token-core `accessibleKeys`): sorted by
 * id, expired and future keys included, refresh keys never.
 * @param nowMs - epoch ms, for the active-master-key requirement.
 * @throws NoActiveMasterKeyError when keyset -1 has no active key at `nowMs` (the reference cannot
 *   build its key snapshot then; plain 500)
 */
export function keysForCaller(keyRing: KeyRing, client: ApiClient, nowMs: number): EncryptionKey[] {
  if (keyRing.masterKey(nowMs) === undefined) throw new NoActiveMasterKeyError('no active master key');
  return accessibleKeys(keyRing, { siteId: client.siteId, roles: client.roles });
}

/**
 * A key object in the field order the reference writes (spec/api.md §9): `id`, `created`,
 * `activates`, `expires` (epoch **seconds**), `secret` (base64 of the 32 key bytes).
 */
export function keyObject(key: EncryptionKey): BidstreamKey {
  return {
    id: key.id,
    created: key.createdSeconds,
    activates: key.activatesSeconds,
    expires: key.expiresSeconds,
    secret: Buffer.from(key.secret.buffer, key.secret.byteOffset, key.secret.byteLength).toString('base64'),
  };
}

/**
 * `site_data` (spec/api.md §9.4): for each distinct site owning one of `keys` (ascending id; sites
 * the site table does not know, such as -1, skipped), the sorted union of its domain names — plus
 * its app names when `KEY_SHARING_PROVIDE_APP_NAMES` — and only when that union is not empty.
 * `undefined` when CSTG is disabled (the field is then omitted).
 */
export function siteDataFor(
  keys: readonly EncryptionKey[],
  keyRing: KeyRing,
  sites: ReadonlyMap<number, SiteInfo>,
  config: Pick<OperatorConfig, 'clientSideTokenGenerate' | 'keySharingProvideAppNames'>,
): SiteData[] | undefined {
  if (!config.clientSideTokenGenerate) return undefined;
  const siteIds = new Set<number>();
  for (const key of keys) {
    const keyset = keyRing.keyset(key.keysetId);
    if (keyset !== undefined) siteIds.add(keyset.siteId);
  }
  const result: SiteData[] = [];
  for (const siteId of [...siteIds].sort((a, b) => a - b)) {
    const site = sites.get(siteId);
    if (site === undefined) continue;
    const names = new Set(site.domainNames);
    if (config.keySharingProvideAppNames) for (const app of site.appNames) names.add(app);
    if (names.size > 0) result.push({ id: siteId, domain_names: [...names].sort() });
  }
  return result;
}

/**
 * The decrypted success answer of the key endpoints, `body` first as the reference serializes it
 * (sharing-keys-response test vectors).
 */
export function keysSuccess<T>(body: T): { readonly body: T; readonly status: 'success' } {
  return { body, status: 'success' };
}
