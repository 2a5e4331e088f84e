export { decodeBase64Strict, decodeBase64UrlStrict } from './base64-strict.js';
export { cstgAad } from './cstg-aad.js';
export {
  type CreateCstgRequestInput,
  type CreatedCstgRequest,
  type CstgRequestBody,
  createCstgRequest,
} from './cstg-client.js';
export {
  CstgServerKey,
  createCstgServerKey,
  cstgSharedSecret,
  p256PointFromSpki,
  p256SpkiFromPoint,
} from './cstg-key-agreement.js';
export {
  type CstgRequestFields,
  type OpenCstgPayloadInput,
  type OpenedCstgRequest,
  openCstgPayload,
  openCstgRequest,
  openCstgResponse,
  sealCstgResponse,
} from './cstg-payload.js';
export {
  EnvelopeError,
  type EnvelopeErrorCode,
  type IdentityScope,
  type PublicKeyFailure,
  envelopeErrorMessage,
} from './envelope-error.js';
export { GCM_OVERHEAD_BYTES, gcmDecrypt, gcmEncrypt, gcmEncryptInto } from './gcm.js';
export { type JsonObject, parseJsonObject } from './internal/json-object.js';
export { PREFIXED_KEY_PREFIX_LENGTH, type PrefixedKey, parsePrefixedKey } from './prefixed-key.js';
export { openRefreshResponse, sealRefreshResponse } from './refresh-response.js';
export {
  MIN_REQUEST_ENVELOPE_BYTES,
  type OpenRequestEnvelopeOptions,
  type OpenedRequestEnvelope,
  REQUEST_ENVELOPE_VERSION,
  type SealRequestEnvelopeInput,
  openRequestEnvelope,
  sealRequestEnvelope,
} from './request-envelope.js';
export {
  type OpenResponseEnvelopeInput,
  type OpenedResponseEnvelope,
  type SealResponseEnvelopeInput,
  openResponseEnvelope,
  sealResponseEnvelope,
} from './response-envelope.js';
