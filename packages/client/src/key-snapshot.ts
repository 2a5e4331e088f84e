import type { EncryptionKey, KeyLookup, SdkKey } from '@uid2-operator/token-core';
import type { KeysResponse, ServedKey } from './keys-response.js';

/**
 * An immutable, indexed view of one key response, built once per refresh so each local decrypt
 * or encrypt does map lookups only: keys by id, keys per keyset by activation time, the latest
 * expiry, and each site's allowed domains / app names (lower-cased).
 */
export class KeySnapshot implements KeyLookup {
  /** The response this snapshot indexes. */
  readonly response: KeysResponse;
  /** Keys as token-core's SDK decoder takes them. */
  readonly sdkKeys: readonly SdkKey[];
  /** Latest `expires` of any key, epoch seconds (`-Infinity` with no keys). */
  readonly latestExpiresSeconds: number;
  readonly #byId: ReadonlyMap<number, EncryptionKey & { readonly siteId: number | undefined }>;
  readonly #byKeyset: ReadonlyMap<number, readonly ServedKey[]>;
  readonly #domains: ReadonlyMap<number, ReadonlySet<string>>;

  constructor(response: KeysResponse) {
    this.response = response;
    this.sdkKeys = response.keys.map((key) => ({
      id: key.id,
      secret: key.secret,
      expiresSeconds: key.expiresSeconds,
      ...(key.siteId === undefined ? {} : { siteId: key.siteId }),
    }));
    this.latestExpiresSeconds = response.keys.reduce(
      (latest, key) => Math.max(latest, key.expiresSeconds),
      -Infinity,
    );
    this.#byId = new Map(
      response.keys.map((key) => [
        key.id,
        {
          id: key.id,
          // Decrypt-only keys come without a keyset id; decoding never reads it.
          keysetId: key.keysetId ?? 0,
          secret: key.secret,
          createdSeconds: key.createdSeconds,
          activatesSeconds: key.activatesSeconds,
          expiresSeconds: key.expiresSeconds,
          siteId: key.siteId,
        },
      ]),
    );
    const byKeyset = new Map<number, ServedKey[]>();
    for (const key of response.keys) {
      if (key.keysetId === undefined) continue;
      const list = byKeyset.get(key.keysetId) ?? [];
      list.push(key);
      byKeyset.set(key.keysetId, list);
    }
    for (const list of byKeyset.values())
      list.sort((a, b) => a.activatesSeconds - b.activatesSeconds || a.id - b.id);
    this.#byKeyset = byKeyset;
    this.#domains = new Map(
      response.siteData.map((site) => [
        site.siteId,
        new Set(site.domainNames.map((name) => name.toLowerCase())),
      ]),
    );
  }

  /** The key with this id, whatever its keyset, activation or expiry (decryption rule, spec/internals.md §4.3). */
  byId(id: number): (EncryptionKey & { readonly siteId: number | undefined }) | undefined {
    return this.#byId.get(id);
  }

  /**
   * The active key of a keyset at `nowMs`: the latest-activated key with `activates ≤ now < expires`
   * (spec/internals.md §4.3, as the SDKs pick it). Keyset ids are as served (master = 9999999).
   */
  activeKey(keysetId: number, nowMs: number): ServedKey | undefined {
    const keys = this.#byKeyset.get(keysetId);
    if (keys === undefined) return undefined;
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as ServedKey;
      if (key.activatesSeconds * 1000 <= nowMs && nowMs < key.expiresSeconds * 1000) return key;
    }
    return undefined;
  }

  /** Whether `site_data` lists this domain or app name for the site (case-insensitive, exact). */
  allowsDomainOrAppName(siteId: number, domainOrAppName: string): boolean {
    return this.#domains.get(siteId)?.has(domainOrAppName.toLowerCase()) ?? false;
  }
}
