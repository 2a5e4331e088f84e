import { ErrorMessage } from './error-messages.js';
import { isJsonRecord } from './internal/json-value.js';
import { clientError, parsed, type ParseResult } from './parse-result.js';

/** A `/v2/identity/buckets` request after the parser's checks (spec/api.md §7.3). */
export interface ParsedBucketsRequest {
  /** `since_timestamp` as sent; parsing it (ISO local date-time, read as UTC) is `salt-buckets`'. */
  readonly sinceTimestamp: string;
}

/**
 * Checks presence and type of `since_timestamp` in the decrypted `/v2/identity/buckets` payload
 * (spec/api.md §7.3). Fails with 400 `client_error`:
 * - `missing parameter since_timestamp` — absent or JSON `null`, or no payload at all (the
 *   reference answers a plain 500 there);
 * - `invalid date, must conform to ISO 8601` — not a string (the reference reads a number as its
 *   decimal text, which never parses as a date).
 * Unknown keys are ignored.
 */
export function parseBucketsRequest(payload: unknown): ParseResult<ParsedBucketsRequest> {
  if (!isJsonRecord(payload)) return clientError(ErrorMessage.BucketsMissingSince);
  const since = payload['since_timestamp'];
  if (since === undefined || since === null) return clientError(ErrorMessage.BucketsMissingSince);
  if (typeof since !== 'string') return clientError(ErrorMessage.BucketsInvalidDate);
  return parsed({ sinceTimestamp: since });
}
