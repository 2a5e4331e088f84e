import type { IdentityTokens } from './types.js';

/** The snake_case identity object the UID2 web and mobile SDKs take (`__uid2.init({ identity })`). */
export interface SdkIdentity {
  readonly advertising_token: string;
  readonly refresh_token: string;
  readonly identity_expires: number;
  readonly refresh_expires: number;
  readonly refresh_from: number;
  readonly refresh_response_key: string;
}

/**
 * Converts {@link IdentityTokens} back to the wire shape of spec/api.md §6.1 (times in epoch ms),
 * e.g. to hand a server-side generated identity to the browser SDK.
 */
export function toSdkIdentity(identity: IdentityTokens): SdkIdentity {
  return {
    advertising_token: identity.advertisingToken,
    refresh_token: identity.refreshToken,
    identity_expires: identity.identityExpiresMs,
    refresh_expires: identity.refreshExpiresMs,
    refresh_from: identity.refreshFromMs,
    refresh_response_key: identity.refreshResponseKey,
  };
}
