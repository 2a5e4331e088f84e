import { z } from 'zod';
import { Status } from './status.js';

/**
 * Builds the success envelope `{"status":"success","body": <body>}` of an HTTP 200 response
 * (spec/api.md §2.7). The envelope is what gets encrypted (§3.2, §3.3, §3.4), so it is part of
 * the plaintext JSON. Strict: no other top-level key.
 */
export function successResponseSchema<T extends z.ZodType>(body: T) {
  return z.strictObject({ status: z.literal(Status.Success), body });
}

/** `{"status":"optout"}`: 200 (encrypted), no body (spec/api.md §2.7; generate, CSTG, refresh). */
export const OptOutResponseSchema = z.strictObject({ status: z.literal(Status.OptOut) }).meta({
  id: 'OptOutResponse',
  description: 'The user opted out (HTTP 200, encrypted, no body), spec/api.md §2.7.',
});

/** Type of {@link OptOutResponseSchema}. */
export type OptOutResponse = z.infer<typeof OptOutResponseSchema>;

/** `{"status":"insufficient_user_consent"}`: 200 (encrypted), EUID generate only (spec/api.md §6.1). */
export const InsufficientUserConsentResponseSchema = z
  .strictObject({ status: z.literal(Status.InsufficientUserConsent) })
  .meta({
    id: 'InsufficientUserConsentResponse',
    description:
      'EUID only: the TCF consent string does not grant the required purposes (HTTP 200, encrypted), spec/api.md §6.1.',
  });

/** Type of {@link InsufficientUserConsentResponseSchema}. */
export type InsufficientUserConsentResponse = z.infer<typeof InsufficientUserConsentResponseSchema>;

/** A raw UID2 as served: Base64 of 32 or 33 bytes, always 44 characters (spec/api.md §5.4). */
export const RawUidSchema = z.base64().length(44).meta({
  id: 'RawUid',
  description: 'Raw UID2: Base64 of 32 (v2) or 33 (v3/v4) bytes, always 44 characters (spec/api.md §5.4).',
});

/** Epoch milliseconds as a JSON integer (spec/api.md legend `ms`). */
export const epochMs = (description: string) =>
  z
    .int()
    .nonnegative()
    .meta({ description: `${description} (epoch ms)` });

/** Epoch seconds as a JSON integer (spec/api.md legend `s`). */
export const epochSeconds = (description: string) =>
  z.int().meta({ description: `${description} (epoch seconds)` });
