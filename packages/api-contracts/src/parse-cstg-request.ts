import type { PhoneSupportOptions } from './dii-field.js';
import { ErrorMessage } from './error-messages.js';
import { isJsonRecord, type JsonRecord } from './internal/json-value.js';
import { clientError, parsed, type ParseFailure, type ParseResult } from './parse-result.js';

/**
 * The top-level `/v2/token/client-generate` fields after binding (spec/api.md §6.4). String
 * fields are `undefined` when absent or JSON `null`; checking them is the caller's job, in the
 * order of §6.4 (subscription, keypair, origin/app name, then {@link requireCstgCryptoFields}).
 */
export interface ParsedCstgRequest {
  /** Base64 of ciphertext‖tag (IV not included). */
  readonly payload: string | undefined;
  /** Base64 of the 12-byte IV. */
  readonly iv: string | undefined;
  /** Base64 SPKI DER of the client's ephemeral P-256 key (`public_key`). */
  readonly publicKey: string | undefined;
  /** `timestamp` in epoch ms, `0` when absent or null; only bound into the AAD, never checked. */
  readonly timestamp: number;
  /** `subscription_id`. */
  readonly subscriptionId: string | undefined;
  /** `app_name` (mobile); switches the origin check to an app-name check and joins the AAD. */
  readonly appName: string | undefined;
}

const FIELDS = new Set(['payload', 'iv', 'public_key', 'timestamp', 'subscription_id', 'app_name']);
const LONG_TEXT = /^[+-]?\d{1,18}$/;
const NOT_BOUND = Symbol('not bound');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Jackson binding of a `String` field: scalars become text; objects and arrays do not bind. */
function bindString(record: JsonRecord, key: string): string | undefined | typeof NOT_BOUND {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return NOT_BOUND;
}

/** Jackson binding of a primitive `long`: null is 0, floats truncate, integer strings coerce. */
function bindLong(value: unknown): number | typeof NOT_BOUND {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : NOT_BOUND;
  if (typeof value === 'string' && LONG_TEXT.test(value)) return Number(value);
  return NOT_BOUND;
}

const notBound = (): ParseFailure => clientError(ErrorMessage.CstgJsonInvalid);

/**
 * Binds an already-parsed CSTG body (spec/api.md §6.4 rows 2–2b and the strict binding):
 * `null` → `json payload expected but not found`. Where the reference answers 500 `unknown`
 * (a JSON value that is not an object, an unknown top-level key, a field of an unbindable type
 * such as an object, or a non-numeric `timestamp`) this returns 400 `client_error`
 * `json payload is not valid` instead. Numbers and booleans in string fields bind as their text.
 */
export function parseCstgRequestJson(json: unknown): ParseResult<ParsedCstgRequest> {
  if (json === null || json === undefined) return clientError(ErrorMessage.CstgJsonMissing);
  if (!isJsonRecord(json)) return notBound();
  for (const key in json) {
    if (!FIELDS.has(key)) return notBound();
  }
  const payload = bindString(json, 'payload');
  const iv = bindString(json, 'iv');
  const publicKey = bindString(json, 'public_key');
  const subscriptionId = bindString(json, 'subscription_id');
  const appName = bindString(json, 'app_name');
  const timestamp = bindLong(json['timestamp']);
  if (
    payload === NOT_BOUND ||
    iv === NOT_BOUND ||
    publicKey === NOT_BOUND ||
    subscriptionId === NOT_BOUND ||
    appName === NOT_BOUND ||
    timestamp === NOT_BOUND
  ) {
    return notBound();
  }
  return parsed({ payload, iv, publicKey, timestamp, subscriptionId, appName });
}

/**
 * Parses the raw `/v2/token/client-generate` body (plain JSON, Content-Type not inspected;
 * spec/api.md §6.4 rows 1–2b). `body` is the UTF-8 text or bytes, or `null`/`undefined` when the
 * request had no body at all (neither Content-Length nor Transfer-Encoding, §2.1).
 *
 * Fails with 400 `client_error`: `json payload is not valid` (not JSON, including a zero-length
 * body and invalid UTF-8; or not bindable, see {@link parseCstgRequestJson}),
 * `json payload expected but not found` (no body, or the literal `null`).
 */
export function parseCstgRequest(
  body: string | Uint8Array | null | undefined,
): ParseResult<ParsedCstgRequest> {
  if (body === null || body === undefined) return clientError(ErrorMessage.CstgJsonMissing);
  let json: unknown;
  try {
    json = JSON.parse(typeof body === 'string' ? body : utf8.decode(body));
  } catch {
    return notBound();
  }
  return parseCstgRequestJson(json);
}

/** The three crypto fields of a CSTG request, all present (§6.4 row 6 passed). */
export interface CstgCryptoFields {
  readonly payload: string;
  readonly iv: string;
  readonly publicKey: string;
}

/**
 * §6.4 row 6, to be called after the subscription, keypair and origin/app-name checks: fails with
 * 400 `client_error` `required parameters: payload, iv, public_key` when any of the three is
 * absent or null. Decoding them (rows 7–9) is `crypto-envelope`'s.
 */
export function requireCstgCryptoFields(request: ParsedCstgRequest): ParseResult<CstgCryptoFields> {
  const { payload, iv, publicKey } = request;
  if (payload === undefined || iv === undefined || publicKey === undefined) {
    return clientError(ErrorMessage.CstgRequiredParameters);
  }
  return parsed({ payload, iv, publicKey });
}

/** The hashed DII from a decrypted CSTG payload (§6.4 rows 11–12 passed). */
export interface CstgIdentity {
  readonly field: 'email_hash' | 'phone_hash';
  readonly type: 'email' | 'phone';
  /** The hash as sent (44-char Base64 or 64-char hex); validating it (row 13) is the caller's. */
  readonly value: string;
}

/**
 * Checks the decrypted inner CSTG JSON object (spec/api.md §6.4 rows 11–12; row 10, "not a JSON
 * object", is `crypto-envelope`'s). Only `email_hash`/`phone_hash` count (JSON `null` is absent);
 * other keys, raw `email`/`phone` included, are ignored. Fails with 400 `client_error`:
 * `phone support not enabled` (a `phone_hash` with phone support off; checked first),
 * `please provide exactly one of: email_hash, phone_hash` (neither or both; with phone support
 * off `please provide email_hash`), `Invalid Identifier` (the hash is not a string).
 */
export function parseCstgPayload(
  json: Readonly<Record<string, unknown>>,
  options: PhoneSupportOptions = {},
): ParseResult<CstgIdentity> {
  const phoneSupport = options.phoneSupport ?? true;
  const emailHash = json['email_hash'] ?? undefined;
  const phoneHash = json['phone_hash'] ?? undefined;
  if (phoneHash !== undefined && !phoneSupport) return clientError(ErrorMessage.CstgPhoneNotEnabled);
  if ((emailHash === undefined) === (phoneHash === undefined)) {
    return clientError(phoneSupport ? ErrorMessage.CstgExactlyOneHash : ErrorMessage.CstgEmailHashRequired);
  }
  const field = emailHash !== undefined ? 'email_hash' : 'phone_hash';
  const value = emailHash ?? phoneHash;
  if (typeof value !== 'string') return clientError(ErrorMessage.InvalidIdentifier);
  return parsed({ field, type: field === 'email_hash' ? 'email' : 'phone', value });
}
