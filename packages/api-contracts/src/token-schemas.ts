import { z } from 'zod';
import {
  epochMs,
  InsufficientUserConsentResponseSchema,
  OptOutResponseSchema,
  successResponseSchema,
} from './envelope-schemas.js';

const diiValue = (what: string) => z.string().nullable().optional().meta({ description: what });

const dii = {
  email: diiValue('Email address; normalized by the server (spec/api.md §5.1).'),
  email_hash: diiValue('Base64 (44 chars) or hex (64 chars) SHA-256 of the normalized email (§5.3).'),
  phone: diiValue('Phone number, already E.164-normalized: `+` and 10–15 digits (§5.2).'),
  phone_hash: diiValue('Base64 (44 chars) or hex (64 chars) SHA-256 of the phone number (§5.3).'),
};

const EXACTLY_ONE =
  'Exactly one of `email`, `email_hash`, `phone`, `phone_hash` must be non-null (only `email`/`email_hash` count with phone support off).';

function exactlyOneDii(body: {
  email?: unknown;
  email_hash?: unknown;
  phone?: unknown;
  phone_hash?: unknown;
}): boolean {
  let count = 0;
  for (const value of [body.email, body.email_hash, body.phone, body.phone_hash]) {
    if (value !== undefined && value !== null) count++;
  }
  return count === 1;
}

/**
 * Plaintext JSON of `POST /v2/token/generate` (spec/api.md §6.1): exactly one DII key; unknown
 * keys (e.g. the removed `optout_check`, `policy`) are ignored and stripped.
 */
export const TokenGenerateRequestSchema = z
  .object({
    ...dii,
    tcf_consent_string: z.string().nullable().optional().meta({
      description: 'EUID only: TCF v2 consent string (vendor `tcf_vendor_id`, default 21). Ignored for UID2.',
    }),
  })
  .refine(exactlyOneDii, { message: 'exactly one DII key' })
  .meta({
    id: 'TokenGenerateRequest',
    description: `${EXACTLY_ONE} Unknown keys are ignored. spec/api.md §6.1.`,
    examples: [{ email_hash: 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=' }],
  });

/** Type of {@link TokenGenerateRequestSchema}. */
export type TokenGenerateRequest = z.infer<typeof TokenGenerateRequestSchema>;

/** Plaintext JSON of `POST /v2/token/validate` (spec/api.md §6.3): `token` plus exactly one DII key. */
export const TokenValidateRequestSchema = z
  .object({
    ...dii,
    token: z.string().meta({ description: 'An `advertising_token` to check against the DII.' }),
  })
  .refine(exactlyOneDii, { message: 'exactly one DII key' })
  .meta({ id: 'TokenValidateRequest', description: `${EXACTLY_ONE} spec/api.md §6.3.` });

/** Type of {@link TokenValidateRequestSchema}. */
export type TokenValidateRequest = z.infer<typeof TokenValidateRequestSchema>;

/** Plaintext JSON of `POST /v2/token/logout` (internal, role OPTOUT; spec/api.md §10.1). */
export const TokenLogoutRequestSchema = z
  .object({
    ...dii,
    clientIp: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'Forwarded to the opt-out service as `client_ip`.' }),
  })
  .refine(exactlyOneDii, { message: 'exactly one DII key' })
  .meta({ id: 'TokenLogoutRequest', description: `${EXACTLY_ONE} spec/api.md §10.1.` });

/** Type of {@link TokenLogoutRequestSchema}. */
export type TokenLogoutRequest = z.infer<typeof TokenLogoutRequestSchema>;

/**
 * Body of `POST /v2/token/refresh`: the `refresh_token` text itself, not encrypted by the client
 * (spec/api.md §6.2). 388 characters selects the wrapper path; any other length the legacy path.
 */
export const TokenRefreshRequestSchema = z.string().meta({
  id: 'TokenRefreshRequest',
  description:
    'The `refresh_token` string from the last generate/refresh response (388-char Base64 wrapper, §12.3).',
});

/** Type of {@link TokenRefreshRequestSchema}. */
export type TokenRefreshRequest = z.infer<typeof TokenRefreshRequestSchema>;

/** Success body of generate, refresh and client-generate (spec/api.md §6.1, §6.2, §6.4). */
export const IdentityTokensSchema = z
  .strictObject({
    advertising_token: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .meta({
        description: 'UID2/EUID advertising token, V4, Base64url without padding (spec/api.md §12.1).',
      }),
    refresh_token: z
      .base64()
      .length(388)
      .meta({ description: 'Opaque 388-char Base64 refresh-token wrapper (spec/api.md §12.3).' }),
    identity_expires: epochMs('When the advertising token expires'),
    refresh_expires: epochMs('When the refresh token expires'),
    refresh_from: epochMs('When the client should start refreshing'),
    refresh_response_key: z.base64().length(44).meta({
      description: 'Base64 of a fresh 32-byte AES key that decrypts the next /v2/token/refresh response.',
    }),
  })
  .meta({
    id: 'IdentityTokens',
    description: 'Tokens of a successful generate/refresh/client-generate, spec/api.md §6.1.',
  });

/** Type of {@link IdentityTokensSchema}. */
export type IdentityTokens = z.infer<typeof IdentityTokensSchema>;

const IdentityTokensSuccessSchema = successResponseSchema(IdentityTokensSchema).meta({
  id: 'IdentityTokensSuccess',
});

/** Decrypted 200 body of `/v2/token/generate`: success, optout or (EUID) insufficient consent (§6.1). */
export const TokenGenerateResponseSchema = z
  .discriminatedUnion('status', [
    IdentityTokensSuccessSchema,
    OptOutResponseSchema,
    InsufficientUserConsentResponseSchema,
  ])
  .meta({
    id: 'TokenGenerateResponse',
    description: 'Decrypted HTTP 200 body of /v2/token/generate, spec/api.md §6.1.',
  });

/** Type of {@link TokenGenerateResponseSchema}. */
export type TokenGenerateResponse = z.infer<typeof TokenGenerateResponseSchema>;

/** Decrypted 200 body of `/v2/token/refresh`: success or optout (spec/api.md §6.2). */
export const TokenRefreshResponseSchema = z
  .discriminatedUnion('status', [IdentityTokensSuccessSchema, OptOutResponseSchema])
  .meta({
    id: 'TokenRefreshResponse',
    description: 'Decrypted HTTP 200 body of /v2/token/refresh, spec/api.md §6.2.',
  });

/** Type of {@link TokenRefreshResponseSchema}. */
export type TokenRefreshResponse = z.infer<typeof TokenRefreshResponseSchema>;

/** Decrypted 200 body of `/v2/token/validate`: `body` is `true` on a match (spec/api.md §6.3). */
export const TokenValidateResponseSchema = successResponseSchema(
  z.boolean().meta({ description: 'True when the token holds the raw UID2 of the given DII.' }),
).meta({
  id: 'TokenValidateResponse',
  description: 'Decrypted HTTP 200 body of /v2/token/validate, spec/api.md §6.3.',
});

/** Type of {@link TokenValidateResponseSchema}. */
export type TokenValidateResponse = z.infer<typeof TokenValidateResponseSchema>;

/** Decrypted 200 body of `/v2/token/logout`: `{"status":"success","body":{"optout":"OK"}}` (§10.1). */
export const TokenLogoutResponseSchema = successResponseSchema(
  z.strictObject({ optout: z.literal('OK') }),
).meta({
  id: 'TokenLogoutResponse',
  description: 'Decrypted HTTP 200 body of /v2/token/logout, spec/api.md §10.1.',
});

/** Type of {@link TokenLogoutResponseSchema}. */
export type TokenLogoutResponse = z.infer<typeof TokenLogoutResponseSchema>;
