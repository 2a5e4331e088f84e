/**
 * What each {@link Uid2ClientError} code means. The texts never carry request data (DII, tokens,
 * keys); the operator's own `message` is appended when the error comes from an HTTP response.
 */
const CLIENT_ERROR_DESCRIPTIONS = {
  ERR_NETWORK: 'the operator could not be reached',
  ERR_TIMEOUT: 'the request timed out',
  ERR_ABORTED: 'the request was aborted by the caller',
  ERR_BAD_REQUEST: 'the operator rejected the request',
  ERR_UNAUTHORIZED: 'the operator refused the credentials',
  ERR_FORBIDDEN: 'the operator refused the origin or app name',
  ERR_NOT_FOUND: 'the operator does not serve this endpoint',
  ERR_RATE_LIMITED: 'the operator (or its proxy) kept rate-limiting the request',
  ERR_SERVER: 'the operator failed with a server error',
  ERR_RESPONSE_DECRYPT: 'the response could not be decrypted (wrong secret or key?)',
  ERR_NONCE_MISMATCH: 'the response does not echo the request nonce',
  ERR_RESPONSE_FORMAT: 'the response does not have the expected shape',
  ERR_UNEXPECTED_STATUS: 'the response carries a status this endpoint does not define',
} as const;

/** Every code a {@link Uid2ClientError} can carry. */
export type Uid2ClientErrorCode = keyof typeof CLIENT_ERROR_DESCRIPTIONS;

/** The codes of {@link Uid2ClientErrorCode}, for exhaustive tests and CLI help. */
export const UID2_CLIENT_ERROR_CODES = Object.keys(
  CLIENT_ERROR_DESCRIPTIONS,
) as readonly Uid2ClientErrorCode[];

/** Extra facts attached to a {@link Uid2ClientError}. */
export interface Uid2ClientErrorDetails {
  /** HTTP status of the last response, when there was one. */
  readonly httpStatus?: number | undefined;
  /** UID2 `status` field of the response body (`client_error`, `unauthorized`, `expired_token`, …). */
  readonly uid2Status?: string | undefined;
  /** The operator's `message` (or plain-text body, truncated), when it sent one. */
  readonly serverMessage?: string | undefined;
  /** How many HTTP attempts were made (1 = no retry). */
  readonly attempts?: number | undefined;
  /** The underlying error (a fetch `TypeError`, an `EnvelopeError`, …). */
  readonly cause?: unknown;
}

/**
 * The one error class of `@uid2-operator/client`. Every failed call rejects with it; `code` says
 * what kind of failure it was, `httpStatus` and `uid2Status` what the operator answered (spec/api.md
 * §2.5, §4 status catalogue).
 *
 * Retried failures (429, 5xx, network errors, timeouts) only surface after the last attempt; other
 * 4xx answers are never retried.
 */
export class Uid2ClientError extends Error {
  override readonly name = 'Uid2ClientError';
  readonly code: Uid2ClientErrorCode;
  readonly httpStatus: number | undefined;
  readonly uid2Status: string | undefined;
  readonly serverMessage: string | undefined;
  readonly attempts: number | undefined;

  constructor(code: Uid2ClientErrorCode, details: Uid2ClientErrorDetails = {}) {
    super(describe(code, details), details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.httpStatus = details.httpStatus;
    this.uid2Status = details.uid2Status;
    this.serverMessage = details.serverMessage;
    this.attempts = details.attempts;
  }
}

function describe(code: Uid2ClientErrorCode, details: Uid2ClientErrorDetails): string {
  const parts: string[] = [CLIENT_ERROR_DESCRIPTIONS[code]];
  if (details.httpStatus !== undefined) parts.push(`HTTP ${details.httpStatus}`);
  if (details.uid2Status !== undefined) parts.push(details.uid2Status);
  let text = parts.join(': ');
  if (details.serverMessage !== undefined && details.serverMessage !== '')
    text += ` (${details.serverMessage})`;
  if (details.attempts !== undefined && details.attempts > 1) text += ` after ${details.attempts} attempts`;
  return text;
}

/** Maps an HTTP status that ends a call (no more retries) to its {@link Uid2ClientErrorCode}. */
export function codeForHttpStatus(status: number): Uid2ClientErrorCode {
  if (status === 401) return 'ERR_UNAUTHORIZED';
  if (status === 403) return 'ERR_FORBIDDEN';
  if (status === 404 || status === 405) return 'ERR_NOT_FOUND';
  if (status === 429) return 'ERR_RATE_LIMITED';
  if (status >= 500) return 'ERR_SERVER';
  return 'ERR_BAD_REQUEST';
}
