import {
  DII_FIELD_INFO,
  DII_FIELDS,
  type DiiField,
  type DiiForm,
  type IdentityType,
  type PhoneSupportOptions,
} from './dii-field.js';
import { ErrorMessage, mustBeAnArray } from './error-messages.js';
import { isJsonRecord, readStringArray, readText } from './internal/json-value.js';
import { clientError, parsed, type ParseResult } from './parse-result.js';

const EMAIL_FIELDS: readonly DiiField[] = ['email', 'email_hash'];
const NO_VALUES: readonly string[] = Object.freeze([]);

/** A `/v2/identity/map` request after the parser's checks (spec/api.md §7.1). */
export interface ParsedIdentityMapV2Request {
  /** The key of the one non-empty array (`email` when every present array is empty). */
  readonly field: DiiField;
  readonly type: IdentityType;
  readonly form: DiiForm;
  /** The identifiers exactly as sent, in request order (the payload's own array when all are strings). */
  readonly values: readonly string[];
  /** `link_id` as text for service-linked keys, `undefined` when absent or null. */
  readonly linkId: string | undefined;
}

/**
 * Checks the decrypted `/v2/identity/map` payload (spec/api.md §7.1) in one pass, in the
 * reference's order: the DII keys are visited in the order `email`, `email_hash`, `phone`,
 * `phone_hash` (only the first two with phone support off); JSON `null` counts as absent.
 * Unknown keys are ignored.
 *
 * Fails with 400 `client_error`:
 * - `<key> must be an array` — the first visited key whose value is not an array;
 * - `Required Parameter Missing: exactly one of [...] must be specified` — a second non-empty
 *   array is met (later keys are then not examined), none of the keys is present, or there is
 *   no payload (the reference answers 500 there; this is the 400 of the `{}` case);
 * - `Incorrect request format` — the chosen array holds a `null` element (the reference answers
 *   500 `unknown` there). Other non-string elements are read as their text, as the reference
 *   does (numbers, booleans; objects as compact JSON), and so end up as invalid identifiers.
 * Arrays that are present but all empty give `values: []` (the response is `{"mapped":[]}`).
 * The `link_id` check stays with the caller (it runs after these checks).
 */
export function parseIdentityMapV2Request(
  payload: unknown,
  options: PhoneSupportOptions = {},
): ParseResult<ParsedIdentityMapV2Request> {
  const phoneSupport = options.phoneSupport ?? true;
  const missing = phoneSupport ? ErrorMessage.ExactlyOneDii : ErrorMessage.ExactlyOneEmailDii;
  if (!isJsonRecord(payload)) return clientError(missing);
  let present = false;
  let field: DiiField = 'email';
  let values: readonly unknown[] = NO_VALUES;
  let chosen = false;
  for (const key of phoneSupport ? DII_FIELDS : EMAIL_FIELDS) {
    const value = payload[key];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) return clientError(mustBeAnArray(key));
    present = true;
    if (value.length === 0) continue;
    if (chosen) return clientError(missing);
    chosen = true;
    field = key;
    values = value;
  }
  if (!present) return clientError(missing);
  const strings = readStringArray(values, true);
  if (strings === null) return clientError(ErrorMessage.IncorrectRequestFormat);
  const { type, form } = DII_FIELD_INFO[field];
  return parsed({ field, type, form, values: strings, linkId: readText(payload, 'link_id') });
}

/**
 * A `/v3/identity/map` request after the parser's checks (spec/api.md §7.2): all four keys,
 * each the payload's own array (or an empty array when absent or null), in request order.
 */
export type ParsedIdentityMapV3Request = { readonly [K in DiiField]: readonly string[] };

function isDiiField(key: string): key is DiiField {
  return key === 'email' || key === 'email_hash' || key === 'phone' || key === 'phone_hash';
}

/**
 * Checks the decrypted `/v3/identity/map` payload (spec/api.md §7.2), a strict schema.
 *
 * Fails with 400 `client_error`:
 * - `Required Parameter Missing: one or more of [email, email_hash, phone, phone_hash] must be
 *   specified` (`... of [email, email_hash] ...` with phone support off) — no payload or `{}`;
 * - `Incorrect request format` — any unknown key (incl. `link_id`, `policy`, `optout_check`),
 *   a value that is neither an array nor `null`, a `null`, object or array element.
 * Number and boolean elements are read as their text (Jackson's scalar coercion), so they end up
 * as invalid identifiers.
 * `{"email_hash": null}` and `{"email": []}` pass with four empty arrays. Phone arrays are
 * parsed even with phone support off, as in the reference.
 */
export function parseIdentityMapV3Request(
  payload: unknown,
  options: PhoneSupportOptions = {},
): ParseResult<ParsedIdentityMapV3Request> {
  const phoneSupport = options.phoneSupport ?? true;
  const missing = phoneSupport ? ErrorMessage.MapV3OneOrMore : ErrorMessage.MapV3OneOrMoreEmail;
  if (!isJsonRecord(payload)) return clientError(missing);
  const result: { [K in DiiField]: readonly string[] } = {
    email: NO_VALUES,
    email_hash: NO_VALUES,
    phone: NO_VALUES,
    phone_hash: NO_VALUES,
  };
  let keys = 0;
  for (const key in payload) {
    keys++;
    if (!isDiiField(key)) return clientError(ErrorMessage.IncorrectRequestFormat);
    const value = payload[key];
    if (value === null) continue;
    const strings = Array.isArray(value) ? readStringArray(value, false) : null;
    if (strings === null) return clientError(ErrorMessage.IncorrectRequestFormat);
    result[key] = strings;
  }
  if (keys === 0) return clientError(missing);
  return parsed(result);
}
