import type { z } from 'zod';
import type {
  ZodOpenApiOperationObject,
  ZodOpenApiPathsObject,
  ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { ErrorMessage, mustBeAnArray, unexpectedClientSiteId } from '../error-messages.js';
import * as map from '../identity-map-schemas.js';
import * as key from '../key-schemas.js';
import { OptOutStatusRequestSchema, OptOutStatusResponseSchema } from '../opt-out-status-schemas.js';
import * as token from '../token-schemas.js';
import { DII_ERRORS, REQUEST_ENVELOPE_NOTE, RESPONSE_ENVELOPE_NOTE } from './openapi-notes.js';
import { encryptedResponses, jsonError, type ErrorEntry } from './openapi-responses.js';

/** One encrypted, Bearer-authenticated POST endpoint (spec/api.md §1 rows 1, 3, 5–12). */
interface EncryptedEndpoint {
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly roles: string;
  readonly request: z.ZodType;
  readonly response: z.ZodType;
  readonly clientErrors: readonly ErrorEntry[];
  readonly serverErrors: readonly ErrorEntry[];
  readonly unauthorizedExtra?: readonly ErrorEntry[];
}

const client = (message: string): ErrorEntry => ['client_error', message];
const unknown = (message: string): ErrorEntry => ['unknown', message];
const LINK_ID: readonly ErrorEntry[] = [['unauthorized', ErrorMessage.InvalidLinkId]];

const ENDPOINTS: readonly EncryptedEndpoint[] = [
  {
    path: '/v2/token/generate',
    operationId: 'generateToken',
    tag: 'token',
    roles: 'GENERATOR',
    summary: 'Generate tokens for one DII (spec/api.md §6.1).',
    request: token.TokenGenerateRequestSchema,
    response: token.TokenGenerateResponseSchema,
    clientErrors: [
      ...DII_ERRORS,
      client(ErrorMessage.UserConsentInvalid),
      client(ErrorMessage.InvalidArguments),
    ],
    serverErrors: [unknown(ErrorMessage.NoActiveKey), unknown(ErrorMessage.GenerateUnknown)],
  },
  {
    path: '/v2/token/validate',
    operationId: 'validateToken',
    tag: 'token',
    roles: 'GENERATOR',
    summary: 'Check that an advertising token belongs to a DII (testing aid, spec/api.md §6.3).',
    request: token.TokenValidateRequestSchema,
    response: token.TokenValidateResponseSchema,
    clientErrors: [
      ...DII_ERRORS,
      client(ErrorMessage.ValidateInvalidToken),
      client(ErrorMessage.ValidateUnauthorised),
    ],
    serverErrors: [],
  },
  {
    path: '/v2/identity/map',
    operationId: 'identityMapV2',
    tag: 'identity',
    roles: 'MAPPER',
    summary: 'Map one type of DII to raw UID2s (spec/api.md §7.1).',
    request: map.IdentityMapV2RequestSchema,
    response: map.IdentityMapV2ResponseSchema,
    clientErrors: [
      ...['email', 'email_hash', 'phone', 'phone_hash'].map((k) => client(mustBeAnArray(k))),
      client(ErrorMessage.ExactlyOneDii),
      client(ErrorMessage.ExactlyOneEmailDii),
      client(ErrorMessage.IncorrectRequestFormat),
    ],
    serverErrors: [unknown(ErrorMessage.MapV2Unknown)],
    unauthorizedExtra: LINK_ID,
  },
  {
    path: '/v3/identity/map',
    operationId: 'identityMapV3',
    tag: 'identity',
    roles: 'MAPPER',
    summary: 'Map mixed DII to raw UID2s, previous UID2s and refresh times (spec/api.md §7.2).',
    request: map.IdentityMapV3RequestSchema,
    response: map.IdentityMapV3ResponseSchema,
    clientErrors: [
      ErrorMessage.MapV3OneOrMore,
      ErrorMessage.MapV3OneOrMoreEmail,
      ErrorMessage.IncorrectRequestFormat,
    ].map(client),
    serverErrors: [unknown(ErrorMessage.MapV3Unknown)],
    unauthorizedExtra: LINK_ID,
  },
  {
    path: '/v2/identity/buckets',
    operationId: 'identityBuckets',
    tag: 'identity',
    roles: 'MAPPER',
    summary: 'Salt buckets rotated since a time (spec/api.md §7.3).',
    request: map.IdentityBucketsRequestSchema,
    response: map.IdentityBucketsResponseSchema,
    clientErrors: [ErrorMessage.BucketsMissingSince, ErrorMessage.BucketsInvalidDate].map(client),
    serverErrors: [],
  },
  {
    path: '/v2/optout/status',
    operationId: 'optOutStatus',
    tag: 'optout',
    roles: 'MAPPER, SHARER or ID_READER',
    summary: 'Opt-out times of raw UID2s (spec/api.md §8).',
    request: OptOutStatusRequestSchema,
    response: OptOutStatusResponseSchema,
    clientErrors: [
      ErrorMessage.OptOutStatusInvalidBody,
      ErrorMessage.OptOutStatusMissingIds,
      ErrorMessage.OptOutStatusTooLarge,
    ].map(client),
    serverErrors: [unknown(ErrorMessage.OptOutStatusUnknown)],
  },
  {
    path: '/v2/key/sharing',
    operationId: 'keySharing',
    tag: 'key',
    roles: 'SHARER or ID_READER',
    summary: 'Keys for sharing SDKs (spec/api.md §9.1).',
    request: key.KeyRequestSchema,
    response: key.KeySharingResponseSchema,
    clientErrors: [],
    serverErrors: [],
  },
  {
    path: '/v2/key/bidstream',
    operationId: 'keyBidstream',
    tag: 'key',
    roles: 'ID_READER',
    summary: 'Keys for DSP SDKs (spec/api.md §9.2).',
    request: key.KeyRequestSchema,
    response: key.KeyBidstreamResponseSchema,
    clientErrors: [],
    serverErrors: [],
  },
  {
    path: '/v2/key/latest',
    operationId: 'keyLatest',
    tag: 'key',
    roles: 'ID_READER',
    summary: 'Legacy key download (spec/api.md §9.3).',
    request: key.KeyRequestSchema,
    response: key.KeyLatestResponseSchema,
    clientErrors: [],
    serverErrors: [],
    unauthorizedExtra: [['invalid_client', unexpectedClientSiteId(2)]],
  },
  {
    path: '/v2/token/logout',
    operationId: 'logout',
    tag: 'token',
    roles: 'OPTOUT (internal)',
    summary: 'Record a user opt-out (internal, spec/api.md §10.1).',
    request: token.TokenLogoutRequestSchema,
    response: token.TokenLogoutResponseSchema,
    clientErrors: [
      ['invalid_token', ErrorMessage.LogoutInvalidDii],
      ['invalid_token', ErrorMessage.LogoutInvalidIdentifier],
    ],
    serverErrors: [],
  },
];

/** An encrypted, Bearer-authenticated POST operation, documented by its plaintext JSON. */
function encryptedOperation(endpoint: EncryptedEndpoint): ZodOpenApiOperationObject {
  const extra: ZodOpenApiResponsesObject = endpoint.unauthorizedExtra
    ? {
        '401': jsonError('Unauthorized (spec/api.md §2.2):', [
          ['unauthorized', '(no message)'],
          ...endpoint.unauthorizedExtra,
        ]),
      }
    : {};
  const success = {
    description: `Success. ${RESPONSE_ENVELOPE_NOTE}`,
    content: { 'application/json': { schema: endpoint.response } },
  };
  return {
    operationId: endpoint.operationId,
    tags: [endpoint.tag],
    summary: endpoint.summary,
    description: `Roles: ${endpoint.roles}.`,
    security: [{ bearerAuth: [] }],
    'x-uid2-encrypted': true,
    requestBody: {
      required: true,
      description: REQUEST_ENVELOPE_NOTE,
      content: { 'application/json': { schema: endpoint.request } },
    },
    responses: encryptedResponses(success, endpoint.clientErrors, endpoint.serverErrors, extra),
  };
}

/** The path items of every encrypted, API-key endpoint. */
export function encryptedPaths(): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const endpoint of ENDPOINTS) paths[endpoint.path] = { post: encryptedOperation(endpoint) };
  return paths;
}
