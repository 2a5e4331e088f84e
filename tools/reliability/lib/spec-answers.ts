import { DII_FIELDS, ErrorMessage, Status, mustBeAnArray } from '@uid2-operator/api-contracts';
import { EnvelopeError, type EnvelopeErrorCode, envelopeErrorMessage } from '@uid2-operator/crypto-envelope';
import { TokenError, refreshWrapperErrorMessage } from '@uid2-operator/token-core';
import type { HttpResponse } from './http-client.js';

/** The reference's 404 page (spec/api.md §2.5). */
export const NOT_FOUND_PAGE = '<html><body><h1>Resource not found</h1></body></html>';
/** The 413 text (spec/api.md §2.1). */
export const TOO_LARGE_TEXT = 'Request Entity Too Large';
/** The API-key auth failure body (spec/api.md §2.2). */
export const UNAUTHORIZED_BODY = '{"status":"unauthorized"}';

/** HTTP code of each error status (spec/api.md §4); `error` is 400 on refresh, 500 after a seal failure. */
const STATUS_HTTP: Readonly<Record<string, readonly number[]>> = {
  [Status.ClientError]: [400],
  [Status.InvalidToken]: [400],
  [Status.ExpiredToken]: [400],
  [Status.Error]: [400, 500],
  [Status.Unauthorized]: [401],
  [Status.InvalidClient]: [401],
  [Status.InvalidHttpOrigin]: [403],
  [Status.InvalidAppName]: [403],
  [Status.Unknown]: [500],
};

/** The status each handler-level message goes with (spec/api.md §6–§10); unlisted = `client_error`. */
const MESSAGE_STATUS: Readonly<Record<string, string>> = {
  [ErrorMessage.RefreshError]: Status.Error,
  [ErrorMessage.RefreshInvalidToken]: Status.InvalidToken,
  [ErrorMessage.RefreshExpiredToken]: Status.ExpiredToken,
  [ErrorMessage.LogoutInvalidDii]: Status.InvalidToken,
  [ErrorMessage.LogoutInvalidIdentifier]: Status.InvalidToken,
  [ErrorMessage.CstgUnauthorized]: Status.Unauthorized,
  [ErrorMessage.InvalidLinkId]: Status.Unauthorized,
  [ErrorMessage.CstgUnexpectedAppName]: Status.InvalidAppName,
  [ErrorMessage.CstgUnexpectedOrigin]: Status.InvalidHttpOrigin,
  [ErrorMessage.NoActiveKey]: Status.Unknown,
  [ErrorMessage.GenerateUnknown]: Status.Unknown,
  [ErrorMessage.RefreshUnknown]: Status.Unknown,
  [ErrorMessage.CstgUnknown]: Status.Unknown,
  [ErrorMessage.MapV2Unknown]: Status.Unknown,
  [ErrorMessage.MapV3Unknown]: Status.Unknown,
  [ErrorMessage.OptOutStatusUnknown]: Status.Unknown,
};

const ENVELOPE_CODES: readonly EnvelopeErrorCode[] = [
  'ERR_ENVELOPE_MISSING',
  'ERR_ENVELOPE_NOT_BASE64',
  'ERR_ENVELOPE_TOO_SHORT',
  'ERR_ENVELOPE_DECRYPT',
  'ERR_ENVELOPE_STALE',
  'ERR_ENVELOPE_PAYLOAD_NOT_JSON',
  'ERR_ENVELOPE_UNENCRYPTED_JSON',
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Every exact (status, message) pair the spec allows in a JSON error body, plus patterns. */
function allowedPairs(): { exact: Set<string>; patterns: [string, RegExp][] } {
  const exact = new Set<string>();
  for (const message of Object.values(ErrorMessage))
    exact.add(`${MESSAGE_STATUS[message] ?? Status.ClientError}\n${message}`);
  for (const field of DII_FIELDS) exact.add(`${Status.ClientError}\n${mustBeAnArray(field)}`);
  for (const code of ENVELOPE_CODES)
    exact.add(`${Status.ClientError}\n${envelopeErrorMessage(new EnvelopeError(code), 'UID2')}`);
  // §6.2 step 1 wrapper messages (token-core's refreshWrapperErrorMessage).
  for (const code of ['ERR_TOKEN_NOT_BASE64', 'ERR_TOKEN_DECRYPT', 'ERR_TOKEN_WRAPPER_JSON'] as const) {
    exact.add(`${Status.ClientError}\n${refreshWrapperErrorMessage(new TokenError(code))}`);
  }
  exact.add(`${Status.Error}\n`); // §2.5: sealing a 200 failed
  const version = escapeRegExp(envelopeErrorMessage(new EnvelopeError('ERR_ENVELOPE_VERSION', 0), 'UID2'));
  return {
    exact,
    patterns: [
      [Status.ClientError, new RegExp(`^${version.replace('received 0', 'received \\d+')}$`)],
      [Status.ClientError, /^Invalid key: Generator of this token \(Key ID: -?\d+\) does not exist\.$/],
      [Status.InvalidClient, /^Unexpected client site id -?\d+$/],
    ],
  };
}

const ALLOWED = allowedPairs();
const STACK_TRACE = /\n\s+at |\bat [\w.<>]+ \(|node:internal|\.ts:\d+|\.js:\d+:\d+/;

/** The request side of a check: what was sent, for the rules that depend on it. */
export interface SentRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
}

function headerBytes(sent: SentRequest): number {
  return Object.entries(sent.headers ?? {}).reduce(
    (sum, [name, value]) => sum + name.length + value.length + 4,
    0,
  );
}

/**
 * Checks one answer against spec/api.md §2.5 and §4: returns `undefined` when it is an allowed
 * answer, else a one-line reason. 5xx answers are always reported (the suite requires none).
 */
export function specProblem(sent: SentRequest, response: HttpResponse): string | undefined {
  const { status } = response;
  const text = response.body.toString('utf8');
  const type = String(response.headers['content-type'] ?? '');
  if (STACK_TRACE.test(text)) return 'body contains a stack trace';
  if (status >= 500) return `HTTP ${status}`;
  if (status === 200 || status === 204) return undefined;
  // Node's HTTP server answers an `Expect` other than 100-continue itself (RFC 9110 §10.1.1).
  if (status === 417 && sent.headers?.expect !== undefined && sent.headers.expect !== '100-continue')
    return undefined;
  // Node's HTTP parser refuses more than 16 KiB of headers itself (Vert.x's limit is 8 KiB).
  if (status === 431 && headerBytes(sent) > 8192) return undefined;
  // A HEAD answer has no body; only its status and headers can be checked.
  if (sent.method === 'HEAD' && text === '' && [404, 405].includes(status)) return undefined;
  if (status === 404)
    return text === NOT_FOUND_PAGE && type.startsWith('text/html')
      ? undefined
      : '404 is not the reference HTML page';
  if (status === 405) {
    if (text !== '') return '405 with a body';
    return response.headers.allow === undefined ? '405 without an Allow header' : undefined;
  }
  if (status === 413) return text === TOO_LARGE_TEXT ? undefined : `413 body is not "${TOO_LARGE_TEXT}"`;
  if (![400, 401, 403].includes(status)) return `unexpected HTTP ${status} (${sent.method} ${sent.path})`;
  if (!type.startsWith('application/json')) return `HTTP ${status} with content-type ${type || '(none)'}`;
  if (status === 401 && text === UNAUTHORIZED_BODY) return undefined;
  let body: { status?: unknown; message?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `HTTP ${status} body is not JSON`;
  }
  if (typeof body.status !== 'string' || typeof body.message !== 'string' || Object.keys(body).length !== 2) {
    return `HTTP ${status} body is not {"status","message"}`;
  }
  if (!(STATUS_HTTP[body.status] ?? []).includes(status))
    return `status "${body.status}" with HTTP ${status}`;
  if (ALLOWED.exact.has(`${body.status}\n${body.message}`)) return undefined;
  if (ALLOWED.patterns.some(([s, pattern]) => s === body.status && pattern.test(body.message as string)))
    return undefined;
  return `message not in the spec: ${body.status} / ${body.message.slice(0, 160)}`;
}
