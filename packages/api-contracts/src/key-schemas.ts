import { z } from 'zod';
import { epochSeconds, successResponseSchema } from './envelope-schemas.js';

/** Keyset id the key endpoints use for the master keyset (−1), since SDKs assume positive ids (§9.1). */
export const MASTER_KEYSET_ID_FOR_SDKS = 9999999;

/** Plaintext of the key endpoints' request: ignored; usually absent (envelope ends after the nonce, §9). */
export const KeyRequestSchema = z.looseObject({}).nullable().meta({
  id: 'KeyRequest',
  description: 'Ignored by the key endpoints; SDKs send no JSON at all (spec/api.md §9).',
});

/** Type of {@link KeyRequestSchema}. */
export type KeyRequest = z.infer<typeof KeyRequestSchema>;

/** `UID2` or `EUID` (config `identity_scope`). */
export const IdentityScopeSchema = z.enum(['UID2', 'EUID']).meta({ id: 'IdentityScope' });

/** Type of {@link IdentityScopeSchema}. */
export type IdentityScope = z.infer<typeof IdentityScopeSchema>;

const keyFields = {
  id: z.int().meta({ description: 'Key id.' }),
  created: epochSeconds('Creation time'),
  activates: epochSeconds('Activation time'),
  expires: epochSeconds('Expiry time (expired keys are still served)'),
  secret: z.base64().meta({ description: 'Base64 of the 32-byte AES-256 key.' }),
};

/** A key object of `/v2/key/sharing` (spec/api.md §9.1): `keyset_id` only for own and master keys. */
export const SharingKeySchema = z
  .strictObject({
    ...keyFields,
    keyset_id: z
      .int()
      .optional()
      .meta({ description: 'Own keyset id, 9999999 for master keys, omitted for decrypt-only keys.' }),
  })
  .meta({ id: 'SharingKey' });

/** Type of {@link SharingKeySchema}. */
export type SharingKey = z.infer<typeof SharingKeySchema>;

/** A key object of `/v2/key/bidstream` (spec/api.md §9.2): no `keyset_id`, no `site_id`. */
export const BidstreamKeySchema = z.strictObject(keyFields).meta({ id: 'BidstreamKey' });

/** Type of {@link BidstreamKeySchema}. */
export type BidstreamKey = z.infer<typeof BidstreamKeySchema>;

/** A key object of legacy `/v2/key/latest` (spec/api.md §9.3): with the keyset owner's `site_id`. */
export const LatestKeySchema = z
  .strictObject({ ...keyFields, site_id: z.int().meta({ description: 'Site id of the keyset owner.' }) })
  .meta({ id: 'LatestKey' });

/** Type of {@link LatestKeySchema}. */
export type LatestKey = z.infer<typeof LatestKeySchema>;

/** One `site_data` entry (spec/api.md §9.4): a site owning an accessible key, with its sorted domains. */
export const SiteDataSchema = z
  .strictObject({
    id: z.int().meta({ description: 'Site id.' }),
    domain_names: z
      .array(z.string())
      .meta({ description: 'Sorted domain names (plus app names when configured).' }),
  })
  .meta({ id: 'SiteData' });

/** Type of {@link SiteDataSchema}. */
export type SiteData = z.infer<typeof SiteDataSchema>;

const siteData = z
  .array(SiteDataSchema)
  .optional()
  .meta({ description: 'Only when CSTG is enabled on the operator.' });

/** Success body of `/v2/key/sharing` (spec/api.md §9.1). */
export const KeySharingBodySchema = z
  .strictObject({
    caller_site_id: z.int(),
    master_keyset_id: z.literal(MASTER_KEYSET_ID_FOR_SDKS),
    default_keyset_id: z
      .int()
      .optional()
      .meta({ description: 'Only if the caller site has an enabled default keyset.' }),
    token_expiry_seconds: z
      .string()
      .regex(/^\d+$/)
      .meta({ description: 'Sharing token lifetime in seconds, as a JSON string (default "2592000").' }),
    max_sharing_lifetime_seconds: z
      .int()
      .optional()
      .meta({ description: 'Only for SHARER callers: configured lifetime + 10 s (default 2592010).' }),
    identity_scope: IdentityScopeSchema,
    allow_clock_skew_seconds: z.int().meta({ description: 'Seconds (default 1800).' }),
    keys: z.array(SharingKeySchema).meta({ description: 'Sorted by id ascending.' }),
    site_data: siteData,
  })
  .meta({ id: 'KeySharingBody' });

/** Decrypted 200 body of `/v2/key/sharing` (spec/api.md §9.1). */
export const KeySharingResponseSchema = successResponseSchema(KeySharingBodySchema).meta({
  id: 'KeySharingResponse',
  description: 'Decrypted HTTP 200 body of /v2/key/sharing, spec/api.md §9.1.',
});

/** Type of {@link KeySharingResponseSchema}. */
export type KeySharingResponse = z.infer<typeof KeySharingResponseSchema>;

/** Success body of `/v2/key/bidstream` (spec/api.md §9.2). */
export const KeyBidstreamBodySchema = z
  .strictObject({
    max_bidstream_lifetime_seconds: z
      .int()
      .meta({ description: 'Configured lifetime (or identity token lifetime) + 10 s, in seconds.' }),
    identity_scope: IdentityScopeSchema,
    allow_clock_skew_seconds: z.int().meta({ description: 'Seconds (default 1800).' }),
    keys: z.array(BidstreamKeySchema).meta({ description: 'Sorted by id ascending.' }),
    site_data: siteData,
  })
  .meta({ id: 'KeyBidstreamBody' });

/** Decrypted 200 body of `/v2/key/bidstream` (spec/api.md §9.2). */
export const KeyBidstreamResponseSchema = successResponseSchema(KeyBidstreamBodySchema).meta({
  id: 'KeyBidstreamResponse',
  description: 'Decrypted HTTP 200 body of /v2/key/bidstream, spec/api.md §9.2.',
});

/** Type of {@link KeyBidstreamResponseSchema}. */
export type KeyBidstreamResponse = z.infer<typeof KeyBidstreamResponseSchema>;

/** Decrypted 200 body of legacy `/v2/key/latest`: `body` is an array of keys (spec/api.md §9.3). */
export const KeyLatestResponseSchema = successResponseSchema(z.array(LatestKeySchema)).meta({
  id: 'KeyLatestResponse',
  description: 'Decrypted HTTP 200 body of /v2/key/latest, spec/api.md §9.3.',
});

/** Type of {@link KeyLatestResponseSchema}. */
export type KeyLatestResponse = z.infer<typeof KeyLatestResponseSchema>;
