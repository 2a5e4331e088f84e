import { z } from 'zod';
import { epochSeconds, RawUidSchema, successResponseSchema } from './envelope-schemas.js';

const identifiers = (what: string) => z.array(z.string()).nullable().optional().meta({ description: what });

const diiArrays = {
  email: identifiers('Emails; normalized by the server (spec/api.md §5.1).'),
  email_hash: identifiers('Base64 (44) or hex (64) SHA-256 email hashes (§5.3).'),
  phone: identifiers('E.164 phone numbers (§5.2).'),
  phone_hash: identifiers('Base64 (44) or hex (64) SHA-256 phone hashes (§5.3).'),
};

function v2Shape(body: {
  email?: unknown;
  email_hash?: unknown;
  phone?: unknown;
  phone_hash?: unknown;
}): boolean {
  let present = 0;
  let nonEmpty = 0;
  for (const value of [body.email, body.email_hash, body.phone, body.phone_hash]) {
    if (Array.isArray(value)) {
      present++;
      if (value.length > 0) nonEmpty++;
    }
  }
  return present > 0 && nonEmpty <= 1;
}

/**
 * Plaintext JSON of `POST /v2/identity/map` (spec/api.md §7.1): at most one non-empty DII array
 * and at least one DII key present; unknown keys are ignored and stripped.
 */
export const IdentityMapV2RequestSchema = z
  .object({
    ...diiArrays,
    link_id: z
      .string()
      .optional()
      .meta({ description: 'Service link for keys with a service id (401 `Invalid link_id`).' }),
  })
  .refine(v2Shape, { message: 'exactly one non-empty DII array' })
  .meta({
    id: 'IdentityMapV2Request',
    description:
      'Exactly one non-empty array among email, email_hash, phone, phone_hash (empty arrays alongside are allowed). Unknown keys are ignored. spec/api.md §7.1.',
    examples: [{ email_hash: ['tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ='] }],
  });

/** Type of {@link IdentityMapV2RequestSchema}. */
export type IdentityMapV2Request = z.infer<typeof IdentityMapV2RequestSchema>;

const UnmappedReasonSchema = z.enum(['optout', 'invalid identifier']);

/** Decrypted 200 body of `/v2/identity/map` (spec/api.md §7.1); `unmapped` is omitted when empty. */
export const IdentityMapV2ResponseSchema = successResponseSchema(
  z.strictObject({
    mapped: z.array(
      z.strictObject({
        identifier: z.string().meta({ description: 'The input exactly as sent (hex hashes stay hex).' }),
        advertising_id: RawUidSchema,
        bucket_id: z.string().meta({ description: 'Salt bucket id.' }),
      }),
    ),
    unmapped: z
      .array(z.strictObject({ identifier: z.string(), reason: UnmappedReasonSchema }))
      .min(1)
      .optional()
      .meta({ description: 'Omitted entirely when empty.' }),
  }),
).meta({
  id: 'IdentityMapV2Response',
  description: 'Decrypted HTTP 200 body of /v2/identity/map, spec/api.md §7.1.',
});

/** Type of {@link IdentityMapV2ResponseSchema}. */
export type IdentityMapV2Response = z.infer<typeof IdentityMapV2ResponseSchema>;

/**
 * Plaintext JSON of `POST /v3/identity/map` (spec/api.md §7.2): strict — any unknown key, null
 * element or non-array value is refused (`Incorrect request format`); at least one key present.
 */
export const IdentityMapV3RequestSchema = z
  .strictObject(diiArrays)
  .refine((v) => Object.keys(v).length > 0, { message: 'at least one DII key' })
  .meta({
    id: 'IdentityMapV3Request',
    description: 'Mixed DII arrays, at least one key present; unknown keys are refused. spec/api.md §7.2.',
    examples: [{ email: ['user@example.com'], phone: ['+12345678901'] }],
  });

/** Type of {@link IdentityMapV3RequestSchema}. */
export type IdentityMapV3Request = z.infer<typeof IdentityMapV3RequestSchema>;

/** One element of a v3 map result array: mapped `{u, p, r}` or unmapped `{e}` (spec/api.md §7.2). */
export const IdentityMapV3ItemSchema = z
  .union([
    z.strictObject({
      u: RawUidSchema,
      p: RawUidSchema.nullable().meta({
        description: 'Previous raw UID2 (within 90 days of rotation) or null; always present.',
      }),
      r: epochSeconds('Raw UID2 refresh time'),
    }),
    z.strictObject({ e: UnmappedReasonSchema }),
  ])
  .meta({ id: 'IdentityMapV3Item' });

/** Type of {@link IdentityMapV3ItemSchema}. */
export type IdentityMapV3Item = z.infer<typeof IdentityMapV3ItemSchema>;

const v3Results = z
  .array(IdentityMapV3ItemSchema)
  .meta({ description: 'One element per input element, same order.' });

/** Decrypted 200 body of `/v3/identity/map`: always all four arrays (spec/api.md §7.2). */
export const IdentityMapV3ResponseSchema = successResponseSchema(
  z.strictObject({ email: v3Results, email_hash: v3Results, phone: v3Results, phone_hash: v3Results }),
).meta({
  id: 'IdentityMapV3Response',
  description: 'Decrypted HTTP 200 body of /v3/identity/map, spec/api.md §7.2.',
});

/** Type of {@link IdentityMapV3ResponseSchema}. */
export type IdentityMapV3Response = z.infer<typeof IdentityMapV3ResponseSchema>;

/** Plaintext JSON of `POST /v2/identity/buckets` (spec/api.md §7.3); unknown keys ignored. */
export const IdentityBucketsRequestSchema = z
  .object({
    since_timestamp: z.string().meta({
      description:
        'ISO-8601 local date-time read as UTC, e.g. `2022-06-01T13:00:00`; no offset, no date-only, no integer.',
      examples: ['2022-06-01T13:00:00'],
    }),
  })
  .meta({ id: 'IdentityBucketsRequest', description: 'spec/api.md §7.3.' });

/** Type of {@link IdentityBucketsRequestSchema}. */
export type IdentityBucketsRequest = z.infer<typeof IdentityBucketsRequestSchema>;

/** Decrypted 200 body of `/v2/identity/buckets`: an array of rotated buckets (spec/api.md §7.3). */
export const IdentityBucketsResponseSchema = successResponseSchema(
  z.array(
    z.strictObject({
      bucket_id: z.string(),
      last_updated: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/)
        .meta({ description: 'UTC `yyyy-MM-ddTHH:mm:ss.SSS`, no zone suffix.' }),
    }),
  ),
).meta({
  id: 'IdentityBucketsResponse',
  description: 'Decrypted HTTP 200 body of /v2/identity/buckets, spec/api.md §7.3.',
});

/** Type of {@link IdentityBucketsResponseSchema}. */
export type IdentityBucketsResponse = z.infer<typeof IdentityBucketsResponseSchema>;
