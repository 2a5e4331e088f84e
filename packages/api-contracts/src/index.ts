// Public API of @uid2-operator/api-contracts: the wire format of the UID2 operator (spec/api.md).

// Status values and the error body (§2.5, §4).
export { Status, StatusSchema, SuccessStatusSchema, ErrorStatusSchema, ErrorBodySchema } from './status.js';
export type { ErrorBody } from './status.js';
export { ErrorMessage, mustBeAnArray, unexpectedClientSiteId } from './error-messages.js';

// DII request keys (§5, §6, §7).
export { DII_FIELDS, DII_FIELD_INFO } from './dii-field.js';
export type { DiiField, DiiForm, DiiInput, IdentityType, PhoneSupportOptions } from './dii-field.js';

// Response envelopes (§2.7).
export {
  successResponseSchema,
  OptOutResponseSchema,
  InsufficientUserConsentResponseSchema,
  RawUidSchema,
} from './envelope-schemas.js';
export type { OptOutResponse, InsufficientUserConsentResponse } from './envelope-schemas.js';

// Token endpoints (§6, §10.1).
export {
  TokenGenerateRequestSchema,
  TokenGenerateResponseSchema,
  TokenRefreshRequestSchema,
  TokenRefreshResponseSchema,
  TokenValidateRequestSchema,
  TokenValidateResponseSchema,
  TokenLogoutRequestSchema,
  TokenLogoutResponseSchema,
  IdentityTokensSchema,
} from './token-schemas.js';
export type {
  TokenGenerateRequest,
  TokenGenerateResponse,
  TokenRefreshRequest,
  TokenRefreshResponse,
  TokenValidateRequest,
  TokenValidateResponse,
  TokenLogoutRequest,
  TokenLogoutResponse,
  IdentityTokens,
} from './token-schemas.js';
export { CstgRequestSchema, CstgPayloadSchema, CstgResponseSchema } from './cstg-schemas.js';
export type { CstgRequestBody, CstgPayload, CstgResponse } from './cstg-schemas.js';

// Identity map and buckets (§7).
export {
  IdentityMapV2RequestSchema,
  IdentityMapV2ResponseSchema,
  IdentityMapV3RequestSchema,
  IdentityMapV3ResponseSchema,
  IdentityMapV3ItemSchema,
  IdentityBucketsRequestSchema,
  IdentityBucketsResponseSchema,
} from './identity-map-schemas.js';
export type {
  IdentityMapV2Request,
  IdentityMapV2Response,
  IdentityMapV3Request,
  IdentityMapV3Response,
  IdentityMapV3Item,
  IdentityBucketsRequest,
  IdentityBucketsResponse,
} from './identity-map-schemas.js';

// Opt-out status (§8).
export { OptOutStatusRequestSchema, OptOutStatusResponseSchema } from './opt-out-status-schemas.js';
export type { OptOutStatusRequest, OptOutStatusResponse } from './opt-out-status-schemas.js';

// Key endpoints (§9).
export {
  MASTER_KEYSET_ID_FOR_SDKS,
  KeyRequestSchema,
  IdentityScopeSchema,
  SharingKeySchema,
  BidstreamKeySchema,
  LatestKeySchema,
  SiteDataSchema,
  KeySharingBodySchema,
  KeySharingResponseSchema,
  KeyBidstreamBodySchema,
  KeyBidstreamResponseSchema,
  KeyLatestResponseSchema,
} from './key-schemas.js';
export type {
  KeyRequest,
  IdentityScope,
  SharingKey,
  BidstreamKey,
  LatestKey,
  SiteData,
  KeySharingResponse,
  KeyBidstreamResponse,
  KeyLatestResponse,
} from './key-schemas.js';

// Fast request parsers with the reference's error precedence.
export type { ParseResult, ParseSuccess, ParseFailure, ParseErrorStatus } from './parse-result.js';
export { parseGenerateRequest, parseValidateRequest, parseLogoutRequest } from './parse-generate-request.js';
export type {
  ParsedGenerateRequest,
  ParsedValidateRequest,
  ParsedLogoutRequest,
} from './parse-generate-request.js';
export { parseIdentityMapV2Request, parseIdentityMapV3Request } from './parse-identity-map-request.js';
export type { ParsedIdentityMapV2Request, ParsedIdentityMapV3Request } from './parse-identity-map-request.js';
export { parseBucketsRequest } from './parse-buckets-request.js';
export type { ParsedBucketsRequest } from './parse-buckets-request.js';
export { parseOptOutStatusRequest, OPT_OUT_STATUS_MAX_ITEMS } from './parse-opt-out-status-request.js';
export type { ParsedOptOutStatusRequest, OptOutStatusOptions } from './parse-opt-out-status-request.js';
export {
  parseCstgRequest,
  parseCstgRequestJson,
  requireCstgCryptoFields,
  parseCstgPayload,
} from './parse-cstg-request.js';
export type { ParsedCstgRequest, CstgCryptoFields, CstgIdentity } from './parse-cstg-request.js';

// OpenAPI 3.1 document (zod-openapi).
export { buildOpenApiDocument } from './build-open-api-document.js';
export type { OpenApiDocument, OpenApiDocumentOptions } from './build-open-api-document.js';
