import { z } from 'zod';

/**
 * Every `status` value the operator writes in a JSON body (spec/api.md §4 "Status catalogue").
 *
 * HTTP mapping: `success`, `optout`, `insufficient_user_consent` → 200 (encrypted);
 * `client_error`, `invalid_token`, `expired_token` → 400; `error` → 400 on refresh, 500 when
 * sealing a response failed; `unauthorized`, `invalid_client` → 401; `invalid_http_origin`,
 * `invalid_app_name` → 403; `unknown` → 500.
 */
export const Status = {
  Success: 'success',
  OptOut: 'optout',
  InsufficientUserConsent: 'insufficient_user_consent',
  ClientError: 'client_error',
  InvalidToken: 'invalid_token',
  ExpiredToken: 'expired_token',
  Error: 'error',
  Unauthorized: 'unauthorized',
  InvalidClient: 'invalid_client',
  InvalidHttpOrigin: 'invalid_http_origin',
  InvalidAppName: 'invalid_app_name',
  Unknown: 'unknown',
} as const;

/** One of the {@link Status} strings (spec/api.md §4). */
export type Status = (typeof Status)[keyof typeof Status];

/** The statuses that come with HTTP 200 and an encrypted body (spec/api.md §2.7, §4). */
export const SuccessStatusSchema = z
  .enum([Status.Success, Status.OptOut, Status.InsufficientUserConsent])
  .meta({ id: 'SuccessStatus', description: 'Status of an HTTP 200 (encrypted) response, spec/api.md §4.' });

/** The statuses of an unencrypted error body (HTTP 400/401/403/500; spec/api.md §2.5, §4). */
export const ErrorStatusSchema = z
  .enum([
    Status.ClientError,
    Status.InvalidToken,
    Status.ExpiredToken,
    Status.Error,
    Status.Unauthorized,
    Status.InvalidClient,
    Status.InvalidHttpOrigin,
    Status.InvalidAppName,
    Status.Unknown,
  ])
  .meta({ id: 'ErrorStatus', description: 'Status of an unencrypted error body, spec/api.md §4.' });

/** Any {@link Status} value (spec/api.md §4). */
export const StatusSchema = z.enum(Object.values(Status) as [Status, ...Status[]]);

/**
 * The unencrypted JSON error body `{"status": "...", "message": "..."}` (spec/api.md §2.5).
 * `message` is absent only in the API-key auth failure `{"status":"unauthorized"}` (§2.2) and is
 * the empty string when sealing a 200 response failed (`{"status":"error","message":""}`).
 */
export const ErrorBodySchema = z
  .strictObject({
    status: ErrorStatusSchema,
    message: z
      .string()
      .optional()
      .meta({ description: 'Exact UID2 error text; never contains DII, tokens or keys.' }),
  })
  .meta({
    id: 'ErrorBody',
    description: 'Unencrypted error body (Content-Type application/json), spec/api.md §2.5.',
    examples: [{ status: 'client_error', message: 'Invalid Identifier' }, { status: 'unauthorized' }],
  });

/** Type of {@link ErrorBodySchema}. */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
