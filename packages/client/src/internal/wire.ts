import { Uid2ClientError } from '../uid2-client-error.js';
import type { DiiInput, IdentityMapV2Input, IdentityTokens } from '../types.js';

/** A parsed JSON object. */
export type WireObject = Record<string, unknown>;

/** The wire names of the four identifier kinds, in the order the operator checks them. */
export const DII_FIELDS = [
  ['email', 'email'],
  ['emailHash', 'email_hash'],
  ['phone', 'phone'],
  ['phoneHash', 'phone_hash'],
] as const;

/** Which camelCase key of {@link DiiInput} this is. */
export type DiiKey = (typeof DII_FIELDS)[number][0];

/** Throws the one error every malformed response becomes; `what` names the field, never its value. */
export function badFormat(what: string): never {
  throw new Uid2ClientError('ERR_RESPONSE_FORMAT', { serverMessage: what });
}

/** Parses UTF-8 JSON that must be an object. @throws Uid2ClientError `ERR_RESPONSE_FORMAT` */
export function parseObject(bytes: Uint8Array | string, what = 'response'): WireObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch {
    return badFormat(`${what} is not JSON`);
  }
  return asObject(parsed, what);
}

/** `value` as a JSON object. @throws Uid2ClientError `ERR_RESPONSE_FORMAT` naming `what` */
export function asObject(value: unknown, what: string): WireObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return badFormat(`${what} is not an object`);
  return value as WireObject;
}

/** `value` as a JSON array. @throws Uid2ClientError `ERR_RESPONSE_FORMAT` naming `what` */
export function asArray(value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) return badFormat(`${what} is not an array`);
  return value;
}

/** A string field. @throws Uid2ClientError `ERR_RESPONSE_FORMAT` naming the key */
export function str(object: WireObject, key: string): string {
  const value = object[key];
  return typeof value === 'string' ? value : badFormat(`${key} is not a string`);
}

/** A safe-integer field (epoch ms / seconds, ids). @throws Uid2ClientError `ERR_RESPONSE_FORMAT` naming the key */
export function int(object: WireObject, key: string): number {
  const value = object[key];
  return typeof value === 'number' && Number.isSafeInteger(value)
    ? value
    : badFormat(`${key} is not an integer`);
}

/** An integer field that may be absent or `null`. @throws Uid2ClientError `ERR_RESPONSE_FORMAT` */
export function optionalInt(object: WireObject, key: string): number | undefined {
  return object[key] === undefined || object[key] === null ? undefined : int(object, key);
}

/**
 * The `status` of a decrypted response and its `body`.
 * @throws Uid2ClientError `ERR_RESPONSE_FORMAT` when `status` is missing
 */
export function statusOf(json: WireObject): { readonly status: string; readonly body: unknown } {
  return { status: str(json, 'status'), body: json['body'] };
}

/** The `body` of a `{"status":"success"}` answer. @throws Uid2ClientError `ERR_UNEXPECTED_STATUS` otherwise */
export function successBody(json: WireObject): unknown {
  const { status, body } = statusOf(json);
  return status === 'success' ? body : unexpectedStatus(status);
}

/** Throws `ERR_UNEXPECTED_STATUS` for a 200 whose status the endpoint does not define. */
export function unexpectedStatus(status: string): never {
  throw new Uid2ClientError('ERR_UNEXPECTED_STATUS', { httpStatus: 200, uid2Status: status });
}

/** Reads the success body of generate/refresh/client-generate (spec/api.md §6.1). */
export function identityFromWire(body: unknown): IdentityTokens {
  const object = asObject(body, 'body');
  return {
    advertisingToken: str(object, 'advertising_token'),
    refreshToken: str(object, 'refresh_token'),
    identityExpiresMs: int(object, 'identity_expires'),
    refreshExpiresMs: int(object, 'refresh_expires'),
    refreshFromMs: int(object, 'refresh_from'),
    refreshResponseKey: str(object, 'refresh_response_key'),
  };
}

/**
 * The one identifier of a {@link DiiInput} as its wire field.
 * @throws TypeError unless exactly one of the four keys holds a string
 */
export function diiToWire(dii: DiiInput): { readonly field: string; readonly value: string } {
  let found: { field: string; value: string } | undefined;
  const source = dii as Partial<Record<DiiKey, unknown>>;
  for (const [key, field] of DII_FIELDS) {
    const value = source[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw new TypeError(`${key} must be a string`);
    if (found !== undefined) throw new TypeError('give exactly one of email, emailHash, phone, phoneHash');
    found = { field, value };
  }
  if (found === undefined) throw new TypeError('give exactly one of email, emailHash, phone, phoneHash');
  return found;
}

/** The wire arrays of an identity-map input (only the keys that are present). */
export function mapInputToWire(input: IdentityMapV2Input): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const [key, field] of DII_FIELDS) {
    const list = input[key];
    if (list !== undefined) out[field] = list;
  }
  return out;
}
