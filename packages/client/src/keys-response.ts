import type { IdentityScope } from './types.js';

/** One key served by `/v2/key/sharing`, `/v2/key/bidstream` or `/v2/key/latest` (spec/api.md §9). */
export interface ServedKey {
  readonly id: number;
  /**
   * `keyset_id` as served: the caller's own keysets, 9999999 for master keys (sharing only);
   * `undefined` for decrypt-only keys and on the bidstream endpoint.
   */
  readonly keysetId: number | undefined;
  /** `site_id` (only `/v2/key/latest` serves it). */
  readonly siteId: number | undefined;
  /** Epoch **seconds**. */
  readonly createdSeconds: number;
  /** Epoch **seconds**. */
  readonly activatesSeconds: number;
  /** Epoch **seconds**. */
  readonly expiresSeconds: number;
  /** The 32-byte AES key (decoded from base64). */
  readonly secret: Buffer;
}

/** Which endpoint keys came from; decides the lifetime rule of local decryption. */
export type KeysSource = 'sharing' | 'bidstream';

/** A site's allowed domains / app names for client-side generated tokens (spec/api.md §9.4). */
export interface SiteDomains {
  readonly siteId: number;
  readonly domainNames: readonly string[];
}

/** The decrypted body of `/v2/key/sharing` or `/v2/key/bidstream`, in camelCase (spec/api.md §9.1, §9.2). */
export interface KeysResponse {
  readonly source: KeysSource;
  readonly identityScope: IdentityScope;
  /** How far in the future a token's creation time may lie, seconds. */
  readonly allowClockSkewSeconds: number;
  /** Keys in id order, including expired and not-yet-active ones. */
  readonly keys: readonly ServedKey[];
  /** Present only when the operator enables client-side generation. */
  readonly siteData: readonly SiteDomains[];
  /** Sharing: the API key's site. */
  readonly callerSiteId: number | undefined;
  /** Sharing: 9999999, the keyset id standing for the master keyset. */
  readonly masterKeysetId: number | undefined;
  /** Sharing: the caller's default keyset, when it has one (needed to encrypt). */
  readonly defaultKeysetId: number | undefined;
  /** Sharing: lifetime of tokens this caller encrypts, seconds (served as a string). */
  readonly tokenExpirySeconds: number | undefined;
  /** Sharing (role SHARER): longest accepted token lifetime, seconds, +10 tolerance included. */
  readonly maxSharingLifetimeSeconds: number | undefined;
  /** Bidstream: longest accepted token lifetime, seconds, +10 tolerance included. */
  readonly maxBidstreamLifetimeSeconds: number | undefined;
}
