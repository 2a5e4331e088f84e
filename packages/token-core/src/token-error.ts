/**
 * What each {@link TokenError} code means. Never carries token bytes or identities; the text is for
 * logs only.
 */
const TOKEN_ERROR_DESCRIPTIONS = {
  ERR_TOKEN_MALFORMED: 'token is truncated or its fields are inconsistent',
  ERR_TOKEN_VERSION: 'token version is not supported',
  ERR_TOKEN_UNKNOWN_KEY: 'token names a key id that is not in the key store',
  ERR_TOKEN_DECRYPT: 'token failed to decrypt with its key',
  ERR_TOKEN_SCOPE_MISMATCH: 'identity scope or type differs between token layers',
  ERR_TOKEN_EXPIRED: 'token has expired',
  ERR_TOKEN_NOT_BASE64: 'token text is not strict base64',
  ERR_TOKEN_WRAPPER_JSON: 'refresh token wrapper does not hold the expected JSON',
} as const;

/** Every code a {@link TokenError} can carry. */
export type TokenErrorCode = keyof typeof TOKEN_ERROR_DESCRIPTIONS;

/**
 * The one error of this package. Decoders throw nothing else for any input text. `detail` is the
 * key id on `ERR_TOKEN_UNKNOWN_KEY` (signed int32, as the reference reads it) and unset otherwise.
 */
export class TokenError extends Error {
  override readonly name = 'TokenError';
  readonly code: TokenErrorCode;
  readonly detail: number | undefined;

  constructor(code: TokenErrorCode, detail?: number) {
    super(TOKEN_ERROR_DESCRIPTIONS[code]);
    this.code = code;
    this.detail = detail;
  }
}

/**
 * The exact HTTP 400 `client_error` message of `/v2/token/refresh` for a 388-character body that
 * {@link unwrapRefreshToken} rejected (spec/api.md §6.2 step 1). No documentation hint is appended
 * on this path. Codes the unwrap never throws map to the "Invalid data" message.
 */
export function refreshWrapperErrorMessage(error: TokenError): string {
  switch (error.code) {
    case 'ERR_TOKEN_NOT_BASE64':
      return 'Invalid body: Body is not valid base64.';
    case 'ERR_TOKEN_UNKNOWN_KEY':
      return `Invalid key: Generator of this token (Key ID: ${error.detail ?? 0}) does not exist.`;
    case 'ERR_TOKEN_WRAPPER_JSON':
      return 'Invalid format: Payload is not valid json or missing required data.';
    case 'ERR_TOKEN_DECRYPT':
    case 'ERR_TOKEN_MALFORMED':
    case 'ERR_TOKEN_VERSION':
    case 'ERR_TOKEN_SCOPE_MISMATCH':
    case 'ERR_TOKEN_EXPIRED':
      return 'Invalid data: Check encryption method and encryption key.';
  }
}

/**
 * Throws `ERR_TOKEN_EXPIRED` when `expiresMs < nowMs` (a token is still good at its expiry
 * millisecond, as in the reference and the SDKs).
 *
 * @param token any decoded token (only `expiresMs`, epoch ms, is read)
 * @param nowMs current time, epoch ms
 */
export function assertNotExpired(token: { readonly expiresMs: number }, nowMs: number): void {
  if (token.expiresMs < nowMs) throw new TokenError('ERR_TOKEN_EXPIRED');
}
