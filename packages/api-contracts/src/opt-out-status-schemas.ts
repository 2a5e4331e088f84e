import { z } from 'zod';
import { successResponseSchema } from './envelope-schemas.js';
import { OPT_OUT_STATUS_MAX_ITEMS } from './parse-opt-out-status-request.js';

/** Plaintext JSON of `POST /v2/optout/status` (spec/api.md §8); unknown keys ignored. */
export const OptOutStatusRequestSchema = z
  .object({
    advertising_ids: z
      .array(z.string())
      .max(OPT_OUT_STATUS_MAX_ITEMS)
      .meta({ description: 'Raw UID2s (Base64), at most `optout_status_max_request_size` (default 5000).' }),
  })
  .meta({ id: 'OptOutStatusRequest', description: 'spec/api.md §8.' });

/** Type of {@link OptOutStatusRequestSchema}. */
export type OptOutStatusRequest = z.infer<typeof OptOutStatusRequestSchema>;

/** Decrypted 200 body of `/v2/optout/status`: only the opted-out ids, in input order (§8). */
export const OptOutStatusResponseSchema = successResponseSchema(
  z.strictObject({
    opted_out: z.array(
      z.strictObject({
        advertising_id: z.base64().length(44).meta({ description: 'The raw UID2 exactly as provided.' }),
        opted_out_since: z
          .int()
          .multipleOf(1000)
          .meta({ description: 'Opt-out time in epoch ms (stored seconds × 1000).' }),
      }),
    ),
  }),
).meta({
  id: 'OptOutStatusResponse',
  description: 'Decrypted HTTP 200 body of /v2/optout/status, spec/api.md §8.',
});

/** Type of {@link OptOutStatusResponseSchema}. */
export type OptOutStatusResponse = z.infer<typeof OptOutStatusResponseSchema>;
