import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { CstgRequestSchema, CstgResponseSchema } from '../cstg-schemas.js';
import { ErrorMessage } from '../error-messages.js';
import { TokenRefreshRequestSchema, TokenRefreshResponseSchema } from '../token-schemas.js';
import { encryptedPaths } from './openapi-encrypted-paths.js';
import { CSTG_RESPONSE_NOTE, REFRESH_RESPONSE_NOTE } from './openapi-notes.js';
import { jsonError, PAYLOAD_TOO_LARGE, serverError, type ErrorEntry } from './openapi-responses.js';

const client = (message: string): ErrorEntry => ['client_error', message];
const unknown = (message: string): ErrorEntry => ['unknown', message];

const refresh: ZodOpenApiOperationObject = {
  operationId: 'refreshToken',
  tags: ['token'],
  summary: 'Refresh an identity with its refresh token (spec/api.md §6.2).',
  description:
    'Optional Bearer auth: it only changes which error status an invalid or expired token gets. CORS-callable.',
  security: [{}, { bearerAuth: [] }],
  requestBody: {
    required: true,
    description:
      'The refresh token text, not encrypted by the client; Content-Type only selects the response form.',
    content: { 'text/plain': { schema: TokenRefreshRequestSchema } },
  },
  responses: {
    '200': {
      description: `Refreshed or opted out. ${REFRESH_RESPONSE_NOTE}`,
      content: { 'application/json': { schema: TokenRefreshResponseSchema } },
    },
    '400': jsonError('Invalid request (spec/api.md §6.2):', [
      client('Invalid body: Body is not valid base64.'),
      client('Invalid key: Generator of this token (Key ID: <id>) does not exist.'),
      client('Invalid data: Check encryption method and encryption key.'),
      client('Invalid format: Payload is not valid json or missing required data.'),
      ['error', ErrorMessage.RefreshError],
      ['invalid_token', ErrorMessage.RefreshInvalidToken],
      ['expired_token', ErrorMessage.RefreshExpiredToken],
    ]),
    '413': PAYLOAD_TOO_LARGE,
    '500': serverError([unknown(ErrorMessage.NoActiveKey), unknown(ErrorMessage.RefreshUnknown)]),
  },
};

const CSTG_CLIENT_ERRORS = [
  ErrorMessage.CstgJsonInvalid,
  ErrorMessage.CstgJsonMissing,
  ErrorMessage.CstgBadSubscriptionId,
  ErrorMessage.CstgRequiredParameters,
  ErrorMessage.CstgBadPublicKey,
  ErrorMessage.CstgBadIv,
  ErrorMessage.CstgDecryptionFailed,
  ErrorMessage.CstgInvalidJson,
  ErrorMessage.CstgPhoneNotEnabled,
  ErrorMessage.CstgExactlyOneHash,
  ErrorMessage.CstgEmailHashRequired,
  ErrorMessage.InvalidIdentifier,
].map(client);

const clientGenerate: ZodOpenApiOperationObject = {
  operationId: 'clientSideGenerateToken',
  tags: ['token'],
  summary: 'Client-side token generation (CSTG), spec/api.md §6.4.',
  description:
    'No API key: the caller proves itself with subscription_id, ECDH and its Origin or app name. ' +
    'The route exists only with CSTG enabled.',
  security: [],
  requestBody: {
    required: true,
    description: 'Plain JSON (SDKs send it as text/plain).',
    content: { 'application/json': { schema: CstgRequestSchema } },
  },
  responses: {
    '200': {
      description: `Generated or opted out. ${CSTG_RESPONSE_NOTE}`,
      content: { 'application/json': { schema: CstgResponseSchema } },
    },
    '400': jsonError('Bad request, in check order (spec/api.md §6.4):', CSTG_CLIENT_ERRORS),
    '401': jsonError('Keypair disabled:', [['unauthorized', ErrorMessage.CstgUnauthorized]]),
    '403': jsonError('Origin or app name not allowed for the site:', [
      ['invalid_app_name', ErrorMessage.CstgUnexpectedAppName],
      ['invalid_http_origin', ErrorMessage.CstgUnexpectedOrigin],
    ]),
    '413': PAYLOAD_TOO_LARGE,
    '500': serverError([unknown(ErrorMessage.NoActiveKey), unknown(ErrorMessage.CstgUnknown)]),
  },
};

const healthcheck: ZodOpenApiOperationObject = {
  operationId: 'healthcheck',
  tags: ['ops'],
  summary: 'Liveness (spec/api.md §10.2).',
  security: [],
  responses: {
    '200': { description: 'Healthy.', content: { 'text/plain': { schema: z.literal('OK') } } },
    '503': {
      description: 'Unhealthy; the body is the reason text.',
      content: { 'text/plain': { schema: z.string() } },
    },
  },
};

/** Every endpoint path of spec/api.md §1 except the static SDK files (row 14). */
export function operatorPaths(): ZodOpenApiPathsObject {
  return {
    ...encryptedPaths(),
    '/v2/token/refresh': { post: refresh },
    '/v2/token/client-generate': { post: clientGenerate },
    '/ops/healthcheck': { get: healthcheck },
  };
}
