import { ErrorMessage } from './error-messages.js';
import { isJsonRecord, readStringArray } from './internal/json-value.js';
import { clientError, parsed, type ParseResult } from './parse-result.js';

/** Default of config `optout_status_max_request_size` (spec/api.md §8, §11). */
export const OPT_OUT_STATUS_MAX_ITEMS = 5000;

/** Options of {@link parseOptOutStatusRequest}. */
export interface OptOutStatusOptions {
  /** Config `optout_status_max_request_size`; default {@link OPT_OUT_STATUS_MAX_ITEMS}. */
  readonly maxItems?: number;
}

/** A `/v2/optout/status` request after the parser's checks (spec/api.md §8). */
export interface ParsedOptOutStatusRequest {
  /** Raw UID2s (Base64 text) exactly as sent, in request order (the payload's own array when all are strings). */
  readonly advertisingIds: readonly string[];
}

/**
 * Checks the decrypted `/v2/optout/status` payload (spec/api.md §8) in the reference's order.
 * Fails with 400 `client_error`:
 * - `Invalid request body` — no payload; also (where the reference answers 500 `unknown`)
 *   `advertising_ids` that is not an array or holds a `null` element;
 * - `Required Parameter Missing: advertising_ids` — absent or JSON `null`;
 * - `Request payload is too large` — more than `maxItems` entries (checked before the elements).
 * Other non-string elements are read as their text, as the reference does (they match no id).
 * Unknown keys are ignored.
 */
export function parseOptOutStatusRequest(
  payload: unknown,
  options: OptOutStatusOptions = {},
): ParseResult<ParsedOptOutStatusRequest> {
  if (!isJsonRecord(payload)) return clientError(ErrorMessage.OptOutStatusInvalidBody);
  const ids = payload['advertising_ids'];
  if (ids === undefined || ids === null) return clientError(ErrorMessage.OptOutStatusMissingIds);
  if (!Array.isArray(ids)) return clientError(ErrorMessage.OptOutStatusInvalidBody);
  if (ids.length > (options.maxItems ?? OPT_OUT_STATUS_MAX_ITEMS)) {
    return clientError(ErrorMessage.OptOutStatusTooLarge);
  }
  const advertisingIds = readStringArray(ids, true);
  if (advertisingIds === null) return clientError(ErrorMessage.OptOutStatusInvalidBody);
  return parsed({ advertisingIds });
}
