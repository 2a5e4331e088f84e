import {
  DII_FIELD_INFO,
  DII_FIELDS,
  type DiiField,
  type DiiInput,
  type PhoneSupportOptions,
} from './dii-field.js';
import { ErrorMessage } from './error-messages.js';
import { isJsonRecord, readText, type JsonRecord } from './internal/json-value.js';
import { clientError, invalidToken, parsed, type ParseResult } from './parse-result.js';

const EMAIL_FIELDS: readonly DiiField[] = ['email', 'email_hash'];

type SingleDii = DiiInput | 'missing' | 'invalid';

/**
 * The reference's `getTokenInputV2`: walks the DII keys in order; a key counts when its value is
 * not JSON `null`; a second one makes the request ambiguous. A non-string value counts but can
 * never normalize, so it is reported as invalid here rather than by the normalizer.
 */
function selectSingleDii(payload: JsonRecord | null, phoneSupport: boolean): SingleDii {
  if (payload === null) return 'missing';
  const fields = phoneSupport ? DII_FIELDS : EMAIL_FIELDS;
  let field: DiiField | undefined;
  let value: unknown;
  for (const key of fields) {
    const candidate = payload[key];
    if (candidate === undefined || candidate === null) continue;
    if (field !== undefined) return 'missing';
    field = key;
    value = candidate;
  }
  if (field === undefined) return 'missing';
  if (typeof value !== 'string') return 'invalid';
  const { type, form } = DII_FIELD_INFO[field];
  return { field, type, form, value };
}

function asRecord(payload: unknown): JsonRecord | null {
  return isJsonRecord(payload) ? payload : null;
}

function missingDiiMessage(phoneSupport: boolean): string {
  return phoneSupport ? ErrorMessage.ExactlyOneDii : ErrorMessage.ExactlyOneEmailDii;
}

/** A `/v2/token/generate` request after the parser's checks (spec/api.md §6.1). */
export interface ParsedGenerateRequest {
  /** The single DII; the operator still normalizes it and answers `Invalid Identifier` on failure. */
  readonly identity: DiiInput;
  /** `tcf_consent_string` as text (EUID only; ignored for UID2), `undefined` when absent or null. */
  readonly tcfConsentString: string | undefined;
}

/**
 * Checks the decrypted `/v2/token/generate` payload (spec/api.md §6.1) in the reference's order.
 * `payload` is the envelope's JSON object or `null`. Unknown keys (incl. the removed
 * `optout_check`/`policy`) are ignored; with phone support off `phone`/`phone_hash` are ignored.
 *
 * Fails with 400 `client_error`: `Required Parameter Missing: exactly one of [...]` (zero or ≥2
 * DII keys, or no payload), `Invalid Identifier` (the DII value is not a string). Normalizing the
 * DII (and its `Invalid Identifier`) and the EUID consent check stay with the caller.
 */
export function parseGenerateRequest(
  payload: unknown,
  options: PhoneSupportOptions = {},
): ParseResult<ParsedGenerateRequest> {
  const phoneSupport = options.phoneSupport ?? true;
  const record = asRecord(payload);
  const identity = selectSingleDii(record, phoneSupport);
  if (identity === 'missing') return clientError(missingDiiMessage(phoneSupport));
  if (identity === 'invalid') return clientError(ErrorMessage.InvalidIdentifier);
  return parsed({ identity, tcfConsentString: readText(record as JsonRecord, 'tcf_consent_string') });
}

/** A `/v2/token/validate` request after the parser's checks (spec/api.md §6.3). */
export interface ParsedValidateRequest {
  /** The single DII, not yet normalized. */
  readonly identity: DiiInput;
  /** `token` as text, or `null` when absent: the caller answers `Invalid token` after the DII checks. */
  readonly token: string | null;
}

/**
 * Checks the decrypted `/v2/token/validate` payload (spec/api.md §6.3): the DII rules of
 * {@link parseGenerateRequest} (same messages). The token is not checked here because the
 * reference checks the DII (including normalization) first and only then the token
 * (`Invalid token`, `Unauthorised to validate token`).
 */
export function parseValidateRequest(
  payload: unknown,
  options: PhoneSupportOptions = {},
): ParseResult<ParsedValidateRequest> {
  const phoneSupport = options.phoneSupport ?? true;
  const record = asRecord(payload);
  const identity = selectSingleDii(record, phoneSupport);
  if (identity === 'missing') return clientError(missingDiiMessage(phoneSupport));
  if (identity === 'invalid') return clientError(ErrorMessage.InvalidIdentifier);
  return parsed({ identity, token: readText(record as JsonRecord, 'token') ?? null });
}

/** A `/v2/token/logout` request after the parser's checks (spec/api.md §10.1). */
export interface ParsedLogoutRequest {
  /** The single DII, not yet normalized. */
  readonly identity: DiiInput;
  /** `email` as text, forwarded to the opt-out service (even when `phone` is the DII's twin). */
  readonly email: string | undefined;
  /** `phone` as text, forwarded to the opt-out service (read even with phone support off). */
  readonly phone: string | undefined;
  /** `clientIp` as text, forwarded as `client_ip`. */
  readonly clientIp: string | undefined;
}

/**
 * Checks the decrypted `/v2/token/logout` payload (spec/api.md §10.1): the DII rules of
 * {@link parseGenerateRequest}, but failures are 400 `invalid_token`:
 * `Invalid Token presented null` (missing/ambiguous DII or no payload) and
 * {@link ErrorMessage.LogoutInvalidIdentifier} (a non-string DII value).
 */
export function parseLogoutRequest(
  payload: unknown,
  options: PhoneSupportOptions = {},
): ParseResult<ParsedLogoutRequest> {
  const record = asRecord(payload);
  const identity = selectSingleDii(record, options.phoneSupport ?? true);
  if (identity === 'missing') return invalidToken(ErrorMessage.LogoutInvalidDii);
  if (identity === 'invalid') return invalidToken(ErrorMessage.LogoutInvalidIdentifier);
  const body = record as JsonRecord;
  return parsed({
    identity,
    email: readText(body, 'email'),
    phone: readText(body, 'phone'),
    clientIp: readText(body, 'clientIp'),
  });
}
