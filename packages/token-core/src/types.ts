/** Identity scope of an operator and of its tokens (spec/internals.md §0: UID2 = 0, EUID = 1). */
export type IdentityScope = 'UID2' | 'EUID';

/** Kind of directly identifying information behind an identity (email = 0, phone = 1). */
export type IdentityType = 'email' | 'phone';

/**
 * A keyset key (spec/internals.md §4.1). Times are epoch **seconds**; the secret is the 32 raw
 * AES-256 key bytes (not base64).
 */
export interface EncryptionKey {
  readonly id: number;
  readonly keysetId: number;
  readonly secret: Uint8Array;
  readonly createdSeconds: number;
  readonly activatesSeconds: number;
  readonly expiresSeconds: number;
}

/**
 * A keyset (spec/internals.md §4.1). `allowedSites: null` means "no list": visible to every
 * `ID_READER` caller (spec/internals.md §4.4). Times are epoch seconds.
 */
export interface Keyset {
  readonly keysetId: number;
  readonly siteId: number;
  readonly allowedSites: readonly number[] | null;
  readonly enabled: boolean;
  readonly isDefault: boolean;
  readonly name?: string;
  readonly createdSeconds?: number;
}

/** What decoding needs from a key store: lookup by key id, any keyset, no expiry check. */
export interface KeyLookup {
  byId(id: number): EncryptionKey | undefined;
}

/** The operator fields of V3/V4 tokens (spec/internals.md §1.3): written as site 0, type 1, version 0, key 0. */
export interface OperatorIdentity {
  readonly siteId: number;
  /** 1 = Service, 17 = Snowflake. */
  readonly type: number;
  readonly version: number;
  readonly keyId: number;
}
