import { Status } from './status.js';

/** The UID2 statuses a request parser can answer with (both go out as HTTP 400). */
export type ParseErrorStatus = typeof Status.ClientError | typeof Status.InvalidToken;

/** A request body that passed the parser's checks; `value` is the typed request. */
export interface ParseSuccess<T> {
  readonly ok: true;
  readonly value: T;
}

/**
 * A request body the operator must refuse: send HTTP `httpStatus` (always 400) with the
 * unencrypted body `{"status": status, "message": message}` (spec/api.md §2.5). `message` is the
 * exact UID2 text; it never echoes the request.
 */
export interface ParseFailure {
  readonly ok: false;
  readonly status: ParseErrorStatus;
  readonly httpStatus: 400;
  readonly message: string;
}

/** Result of every `parse…Request` function: a discriminated union on `ok`. */
export type ParseResult<T> = ParseSuccess<T> | ParseFailure;

/** Builds a {@link ParseSuccess}. */
export function parsed<T>(value: T): ParseSuccess<T> {
  return { ok: true, value };
}

/** Builds a 400 `client_error` {@link ParseFailure} with the given exact message. */
export function clientError(message: string): ParseFailure {
  return { ok: false, status: Status.ClientError, httpStatus: 400, message };
}

/** Builds a 400 `invalid_token` {@link ParseFailure} with the given exact message. */
export function invalidToken(message: string): ParseFailure {
  return { ok: false, status: Status.InvalidToken, httpStatus: 400, message };
}
