export { type KeyCaller, accessibleKeys } from './accessible-keys.js';
export {
  type DecodeOptions,
  type DecodedAdvertisingToken,
  decodeAdvertisingToken,
} from './decode-advertising-token.js';
export {
  type AdvertisingTokenInput,
  type TokenIdentity,
  encodeAdvertisingTokenV4,
} from './encode-advertising-token.js';
export {
  FALLBACK_PUBLISHER_KEYSET_ID,
  FALLBACK_PUBLISHER_SITE_ID,
  type KeyRing,
  MASTER_KEYSET_ID,
  MASTER_KEYSET_ID_FOR_SDKS,
  REFRESH_KEYSET_ID,
  createKeyRing,
} from './key-ring.js';
export {
  type TokenLifetimes,
  type TokenLifetimesConfig,
  computeLifetimes,
  validateTokenLifetimes,
} from './lifetimes.js';
export {
  PRIVACY_BITS,
  PRIVACY_BITS_FOR_CLIENT_SIDE,
  PRIVACY_BITS_FOR_GENERATE,
  isClientSideGenerated,
} from './privacy-bits.js';
export {
  type DecodedRefreshToken,
  REFRESH_TOKEN_CUTOFF_MS,
  type RefreshTokenInput,
  decodeRefreshToken,
  encodeRefreshToken,
} from './refresh-token.js';
export {
  REFRESH_TOKEN_WRAPPER_LENGTH,
  type UnwrappedRefreshToken,
  type WrapRefreshTokenInput,
  unwrapRefreshToken,
  wrapRefreshToken,
} from './refresh-wrapper.js';
export {
  type SdkClientType,
  type SdkDecryptContext,
  type SdkDecryptResult,
  type SdkDecryptionStatus,
  type SdkKey,
  SDK_RESULT_UNSET,
  decryptTokenForSdk,
  hasValidSdkLifetime,
} from './sdk-decrypt.js';
export {
  TokenError,
  type TokenErrorCode,
  assertNotExpired,
  refreshWrapperErrorMessage,
} from './token-error.js';
export type {
  EncryptionKey,
  IdentityScope,
  IdentityType,
  KeyLookup,
  Keyset,
  OperatorIdentity,
} from './types.js';
