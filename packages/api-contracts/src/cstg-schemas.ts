import { z } from 'zod';
import { OptOutResponseSchema, successResponseSchema } from './envelope-schemas.js';
import { IdentityTokensSchema } from './token-schemas.js';

/**
 * Plain JSON body of `POST /v2/token/client-generate` (spec/api.md §3.4, §6.4). Strict: the
 * reference refuses any other top-level key (it answers 500; this operator 400).
 */
export const CstgRequestSchema = z
  .strictObject({
    payload: z
      .base64()
      .meta({ description: 'Base64 of ciphertext‖tag of the inner JSON (IV not included).' }),
    iv: z.base64().meta({ description: 'Base64 of the 12-byte AES-GCM IV.' }),
    public_key: z.base64().meta({
      description: 'Base64 X.509 SubjectPublicKeyInfo DER of the client ephemeral P-256 key (91 bytes).',
    }),
    timestamp: z.int().optional().meta({
      description:
        'Epoch ms; only bound into the AAD `[timestamp]`, never checked for freshness; 0 when absent.',
    }),
    subscription_id: z.string().meta({ description: 'Selects the server keypair and so the site.' }),
    app_name: z
      .string()
      .optional()
      .meta({ description: 'Mobile app id; checked instead of Origin and appended to the AAD.' }),
  })
  .meta({
    id: 'CstgRequest',
    description: 'Client-side token generation request (plain JSON, no API key), spec/api.md §6.4.',
  });

/** Type of {@link CstgRequestSchema}. */
export type CstgRequestBody = z.infer<typeof CstgRequestSchema>;

/**
 * Decrypted inner JSON of a CSTG `payload` (spec/api.md §6.4): exactly one of `email_hash` /
 * `phone_hash`; raw `email`/`phone` are not accepted; other keys are ignored and stripped.
 */
export const CstgPayloadSchema = z
  .object({
    email_hash: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'Base64 (44) or hex (64) SHA-256 of the email.' }),
    phone_hash: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'Base64 (44) or hex (64) SHA-256 of the phone.' }),
  })
  .refine((v) => (v.email_hash == null) !== (v.phone_hash == null), { message: 'exactly one hash' })
  .meta({ id: 'CstgPayload', description: 'Plaintext of the CSTG `payload`, spec/api.md §6.4.' });

/** Type of {@link CstgPayloadSchema}. */
export type CstgPayload = z.infer<typeof CstgPayloadSchema>;

/** Decrypted 200 body of `/v2/token/client-generate`: success or optout (spec/api.md §6.4). */
export const CstgResponseSchema = z
  .discriminatedUnion('status', [
    successResponseSchema(IdentityTokensSchema).meta({ id: 'CstgSuccess' }),
    OptOutResponseSchema,
  ])
  .meta({
    id: 'CstgResponse',
    description: 'Decrypted HTTP 200 body of /v2/token/client-generate, spec/api.md §6.4.',
  });

/** Type of {@link CstgResponseSchema}. */
export type CstgResponse = z.infer<typeof CstgResponseSchema>;
