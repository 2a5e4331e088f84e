import type { EncryptionKey, KeyLookup, Keyset } from './types.js';

/** Keyset of the master keys: the outer layer of advertising tokens (spec/internals.md §4.2). */
export const MASTER_KEYSET_ID = -1;
/** Keyset of the refresh keys: inner refresh tokens and the 388-character wrapper. */
export const REFRESH_KEYSET_ID = -2;
/** Site whose default keyset encrypts tokens of sites without one. */
export const FALLBACK_PUBLISHER_SITE_ID = 2;
/** The default keyset of site 2. */
export const FALLBACK_PUBLISHER_KEYSET_ID = 2;
/** What key endpoints report instead of -1, because the SDKs assume positive keyset ids. */
export const MASTER_KEYSET_ID_FOR_SDKS = 9_999_999;

/**
 * An immutable snapshot of keys and keysets with precomputed indexes (spec/internals.md §4).
 * Times passed in are epoch **milliseconds**; key times are compared as `seconds × 1000`.
 */
export interface KeyRing extends KeyLookup {
  /** All keys, sorted by id. */
  readonly keys: readonly EncryptionKey[];
  /** The key with this id, whatever its keyset or activation (decryption never checks them). */
  byId(id: number): EncryptionKey | undefined;
  /** The keyset with this id. */
  keyset(keysetId: number): Keyset | undefined;
  /**
   * The active key of a keyset at `nowMs`: among keys with `activates ≤ now < expires`, the one
   * activated last (ties: the higher id) (spec/internals.md §4.3).
   */
  activeKey(keysetId: number, nowMs: number): EncryptionKey | undefined;
  /**
   * The site's enabled default keyset, if any.
   * @throws Error when the site has more than one (the reference fails such requests with a 500)
   */
  defaultKeysetOf(siteId: number): Keyset | undefined;
  /** Active key of the master keyset (-1). */
  masterKey(nowMs: number): EncryptionKey | undefined;
  /** Active key of the refresh keyset (-2). */
  refreshKey(nowMs: number): EncryptionKey | undefined;
  /**
   * The publisher key for a site's tokens (spec/internals.md §1.5): the active key of the site's
   * default keyset, else of site 2's default keyset; `undefined` when neither has one.
   * @throws Error when either site has several enabled default keysets
   */
  siteKey(siteId: number, nowMs: number): EncryptionKey | undefined;
}

const CONFLICT = Symbol('several default keysets');

class KeyRingSnapshot implements KeyRing {
  readonly keys: readonly EncryptionKey[];
  private readonly keysById = new Map<number, EncryptionKey>();
  private readonly keysetsById = new Map<number, Keyset>();
  /** Per keyset, keys by ascending activation (ties by id). */
  private readonly activation = new Map<number, EncryptionKey[]>();
  private readonly defaults = new Map<number, Keyset | typeof CONFLICT>();

  constructor(keys: Iterable<EncryptionKey>, keysets: Iterable<Keyset>) {
    for (const key of keys) {
      if (this.keysById.has(key.id)) throw new TypeError(`duplicate key id ${key.id}`);
      this.keysById.set(key.id, key);
      const list = this.activation.get(key.keysetId);
      if (list) list.push(key);
      else this.activation.set(key.keysetId, [key]);
    }
    for (const list of this.activation.values()) {
      list.sort((a, b) => a.activatesSeconds - b.activatesSeconds || a.id - b.id);
    }
    this.keys = Object.freeze([...this.keysById.values()].sort((a, b) => a.id - b.id));

    for (const keyset of keysets) {
      if (this.keysetsById.has(keyset.keysetId))
        throw new TypeError(`duplicate keyset id ${keyset.keysetId}`);
      this.keysetsById.set(keyset.keysetId, keyset);
      if (keyset.enabled && keyset.isDefault) {
        this.defaults.set(keyset.siteId, this.defaults.has(keyset.siteId) ? CONFLICT : keyset);
      }
    }
  }

  byId(id: number): EncryptionKey | undefined {
    return this.keysById.get(id);
  }

  keyset(keysetId: number): Keyset | undefined {
    return this.keysetsById.get(keysetId);
  }

  activeKey(keysetId: number, nowMs: number): EncryptionKey | undefined {
    const list = this.activation.get(keysetId);
    if (list === undefined) return undefined;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((list[middle]?.activatesSeconds ?? 0) * 1000 <= nowMs) low = middle + 1;
      else high = middle;
    }
    for (let i = low - 1; i >= 0; i--) {
      const key = list[i];
      if (key !== undefined && key.expiresSeconds * 1000 > nowMs) return key;
    }
    return undefined;
  }

  defaultKeysetOf(siteId: number): Keyset | undefined {
    const keyset = this.defaults.get(siteId);
    if (keyset === CONFLICT) throw new Error('site has more than one enabled default keyset');
    return keyset;
  }

  masterKey(nowMs: number): EncryptionKey | undefined {
    return this.activeKey(MASTER_KEYSET_ID, nowMs);
  }

  refreshKey(nowMs: number): EncryptionKey | undefined {
    return this.activeKey(REFRESH_KEYSET_ID, nowMs);
  }

  siteKey(siteId: number, nowMs: number): EncryptionKey | undefined {
    return this.defaultKeyOf(siteId, nowMs) ?? this.defaultKeyOf(FALLBACK_PUBLISHER_SITE_ID, nowMs);
  }

  private defaultKeyOf(siteId: number, nowMs: number): EncryptionKey | undefined {
    const keyset = this.defaultKeysetOf(siteId);
    return keyset === undefined ? undefined : this.activeKey(keyset.keysetId, nowMs);
  }
}

/**
 * Builds an immutable {@link KeyRing} from keys and keysets (e.g. one database snapshot). Indexes
 * are computed once here, so lookups on the request path are map reads and a binary search.
 *
 * @throws TypeError on a duplicate key id or keyset id
 */
export function createKeyRing(keys: Iterable<EncryptionKey>, keysets: Iterable<Keyset>): KeyRing {
  return new KeyRingSnapshot(keys, keysets);
}
