/**
 * Every UID2 `status` the operator answers with (spec/api.md §4), with its HTTP code.
 * One table, so a status can never go out with the wrong code.
 */
export const API_STATUS_HTTP = {
  client_error: 400,
  invalid_token: 400,
  expired_token: 400,
  error: 400,
  unauthorized: 401,
  invalid_client: 401,
  invalid_http_origin: 403,
  invalid_app_name: 403,
  unknown: 500,
} as const;

/** A UID2 error status that is answered unencrypted as `{"status","message"}`. */
export type ApiErrorStatus = keyof typeof API_STATUS_HTTP;

/**
 * An error answered as `{"status": status, "message": message}` with the HTTP code of
 * {@link API_STATUS_HTTP}. Handlers throw it; the error handler writes it. Messages are the exact
 * wire strings of spec/api.md and never carry DII, tokens or keys.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status code of the response. */
  readonly httpStatus: number;

  constructor(
    readonly status: ApiErrorStatus,
    message: string,
    httpStatus?: number,
  ) {
    super(message);
    this.httpStatus = httpStatus ?? API_STATUS_HTTP[status];
  }
}

/** 400 `client_error` with an exact spec message. */
export function clientError(message: string): ApiError {
  return new ApiError('client_error', message);
}

/** The message-less 401 of API-key authentication (spec/api.md §2.2). */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
}
