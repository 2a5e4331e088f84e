/**
 * The CSTG additional authenticated data: UTF-8 of the compact JSON array `[timestamp]`, or
 * `[timestamp,"app_name"]` when an app name is present (spec/api.md §3.4). The string is escaped
 * as Jackson does (the reference serializer): `\"`, `\\`, the short escapes `\b \f \n \r \t`, other
 * control characters as `\u00XX` with upper-case hex; everything else, non-ASCII included, raw.
 *
 * @param timestamp the request's `timestamp` field in epoch ms (0 when the field is absent)
 * @param appName the request's `app_name`, if present (an empty string still counts as present)
 * @throws TypeError when `timestamp` is not a safe integer
 */
export function cstgAad(timestamp: number, appName?: string | null): Buffer {
  if (!Number.isSafeInteger(timestamp)) throw new TypeError('CSTG timestamp must be an integer');
  const text =
    appName === undefined || appName === null ? `[${timestamp}]` : `[${timestamp},${jacksonString(appName)}]`;
  return Buffer.from(text, 'utf8');
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

function jacksonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const short = SHORT_ESCAPES[code];
    if (short !== undefined) out += short;
    else if (code < 0x20) out += '\\u00' + code.toString(16).toUpperCase().padStart(2, '0');
    else out += value.charAt(i);
  }
  return out + '"';
}
