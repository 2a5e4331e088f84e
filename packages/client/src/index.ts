/**
 * `@uid2-operator/client`: a typed TypeScript client for a UID2 operator (spec/api.md §1) with
 * envelopes, retries, batching, and local token decryption for DSPs and sharing participants.
 */
export { Uid2Client, MAX_OPTOUT_STATUS_BATCH } from './uid2-client.js';
export type {
  CallOptions,
  ClientSideGenerateOptions,
  EnvelopeCallOptions,
  Uid2ClientOptions,
} from './uid2-client-options.js';
export { Uid2ClientError, UID2_CLIENT_ERROR_CODES } from './uid2-client-error.js';
export type { Uid2ClientErrorCode, Uid2ClientErrorDetails } from './uid2-client-error.js';
export type { FetchLike } from './internal/http-transport.js';
export { MAX_MAP_BATCH_SIZE } from './internal/identity-map-v3.js';
export type { MapBatchOptions } from './internal/identity-map-v3.js';
export { createClientSideTokenRequest } from './client-side-token.js';
export type {
  ClientSideIdentity,
  ClientSideTokenRequest,
  ClientSideTokenRequestInput,
} from './client-side-token.js';
export { toSdkIdentity } from './to-sdk-identity.js';
export type { SdkIdentity } from './to-sdk-identity.js';
export type { KeysResponse, KeysSource, ServedKey, SiteDomains } from './keys-response.js';
export { KeySnapshot } from './key-snapshot.js';
export { KeyStore } from './key-store.js';
export type { KeyStoreOptions } from './key-store.js';
export { BidstreamClient } from './bidstream-client.js';
export type { KeyClientOptions } from './bidstream-client.js';
export { SharingClient } from './sharing-client.js';
export type { SharingClientOptions } from './sharing-client.js';
export { decryptWithSnapshot, encryptWithSnapshot } from './local-token.js';
export type {
  DecryptionResult,
  DecryptionStatus,
  EncryptRawUidInput,
  EncryptionResult,
  EncryptionStatus,
} from './local-token.js';
export type {
  DiiInput,
  IdentityMapV2Input,
  IdentityMapV2Result,
  IdentityMapV3Input,
  IdentityMapV3Item,
  IdentityMapV3Result,
  IdentityScope,
  IdentityTokens,
  IdentityType,
  OptOutStatus,
  SaltBucketUpdate,
  TokenGenerateResult,
  TokenRefreshResult,
  UnmappedReason,
} from './types.js';
