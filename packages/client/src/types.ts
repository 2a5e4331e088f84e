/** `UID2` or `EUID` (spec/api.md §11 `identity_scope`). */
export type IdentityScope = 'UID2' | 'EUID';

/** `email` or `phone`. */
export type IdentityType = 'email' | 'phone';

type Only<K extends string> = { readonly [P in K]: string } & {
  readonly [P in Exclude<DiiKey, K>]?: never;
};
type DiiKey = 'email' | 'emailHash' | 'phone' | 'phoneHash';

/**
 * Exactly one identifier, in the form the operator accepts (spec/api.md §6.1, §5):
 * `email` (normalized by the server), `emailHash` (base64 or hex SHA-256 of the normalized email),
 * `phone` (E.164: `+` and 10–15 digits), `phoneHash`.
 */
export type DiiInput = Only<'email'> | Only<'emailHash'> | Only<'phone'> | Only<'phoneHash'>;

/**
 * The tokens of a successful generate, refresh or client-side generate (spec/api.md §6.1).
 * Times are epoch **milliseconds**. Hand them to a browser SDK with `toSdkIdentity`.
 */
export interface IdentityTokens {
  /** Advertising token (V4: base64url without padding). */
  readonly advertisingToken: string;
  /** Opaque refresh token (388-char base64 wrapper, spec/api.md §12.3). */
  readonly refreshToken: string;
  /** When the advertising token expires, epoch ms. */
  readonly identityExpiresMs: number;
  /** When the refresh token expires, epoch ms. */
  readonly refreshExpiresMs: number;
  /** From when a refresh should be attempted, epoch ms. */
  readonly refreshFromMs: number;
  /** Base64 of the 32-byte key that decrypts the next refresh response. */
  readonly refreshResponseKey: string;
}

/** Result of `generateToken` / `clientSideGenerateToken`: tokens, opt-out, or (EUID) no consent. */
export type TokenGenerateResult =
  | { readonly status: 'success'; readonly identity: IdentityTokens }
  | { readonly status: 'optout' }
  | { readonly status: 'insufficient_user_consent' };

/** Result of `refreshToken`: new tokens or opt-out (spec/api.md §6.2). */
export type TokenRefreshResult =
  { readonly status: 'success'; readonly identity: IdentityTokens } | { readonly status: 'optout' };

/** Why an identifier was not mapped (spec/api.md §7). */
export type UnmappedReason = 'optout' | 'invalid identifier' | (string & {});

/** Input of `/v2/identity/map`: exactly one non-empty array (spec/api.md §7.1). */
export interface IdentityMapV2Input {
  readonly email?: readonly string[];
  readonly emailHash?: readonly string[];
  readonly phone?: readonly string[];
  readonly phoneHash?: readonly string[];
}

/** Result of `/v2/identity/map` (spec/api.md §7.1); `identifier` is the input as sent. */
export interface IdentityMapV2Result {
  readonly mapped: readonly {
    readonly identifier: string;
    readonly advertisingId: string;
    readonly bucketId: string;
  }[];
  readonly unmapped: readonly { readonly identifier: string; readonly reason: UnmappedReason }[];
}

/** Input of `/v3/identity/map`: any mix of the four arrays (spec/api.md §7.2). */
export type IdentityMapV3Input = IdentityMapV2Input;

/**
 * One v3 map result, index-aligned with its input (spec/api.md §7.2): a raw UID2 (base64), the
 * previous one within 90 days of a rotation (or `null`), and when to re-map, in epoch **seconds**.
 */
export type IdentityMapV3Item =
  | {
      readonly mapped: true;
      readonly rawUid: string;
      readonly previousRawUid: string | null;
      readonly refreshFromSeconds: number;
    }
  | { readonly mapped: false; readonly reason: UnmappedReason };

/** Result of `identityMapV3`: one array per input array, same length and order as the input. */
export interface IdentityMapV3Result {
  readonly email: readonly IdentityMapV3Item[];
  readonly emailHash: readonly IdentityMapV3Item[];
  readonly phone: readonly IdentityMapV3Item[];
  readonly phoneHash: readonly IdentityMapV3Item[];
}

/** One rotated salt bucket of `/v2/identity/buckets` (spec/api.md §7.3). */
export interface SaltBucketUpdate {
  readonly bucketId: string;
  /** Rotation time as served: UTC `yyyy-MM-ddTHH:mm:ss.SSS`. */
  readonly lastUpdated: string;
  /** The same instant in epoch ms. */
  readonly lastUpdatedMs: number;
}

/** One opted-out raw UID2 of `/v2/optout/status` (spec/api.md §8). */
export interface OptOutStatus {
  readonly advertisingId: string;
  /** Opt-out time, epoch **milliseconds** (a multiple of 1000). */
  readonly optedOutSinceMs: number;
}
