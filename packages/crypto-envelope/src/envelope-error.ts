/**
 * What each {@link EnvelopeError} code means. The text is for logs and stack traces only: it never
 * carries request data. Wire messages come from {@link envelopeErrorMessage}.
 */
const ENVELOPE_ERROR_DESCRIPTIONS = {
  ERR_ENVELOPE_MISSING: 'request body is missing or empty',
  ERR_ENVELOPE_NOT_BASE64: 'request body is not strict base64',
  ERR_ENVELOPE_TOO_SHORT: 'envelope is shorter than its minimum length',
  ERR_ENVELOPE_VERSION: 'envelope version byte is not 1',
  ERR_ENVELOPE_DECRYPT: 'AES-GCM authentication failed',
  ERR_ENVELOPE_STALE: 'envelope timestamp is outside the accepted clock window',
  ERR_ENVELOPE_PAYLOAD_NOT_JSON: 'envelope payload is not a JSON object',
  ERR_ENVELOPE_UNENCRYPTED_JSON: 'request body is unencrypted JSON',
  ERR_ENVELOPE_NONCE_MISMATCH: 'response nonce differs from the request nonce',
  ERR_CSTG_BAD_PUBLIC_KEY: 'client public key is not a usable P-256 SubjectPublicKeyInfo',
  ERR_CSTG_BAD_IV: 'CSTG iv is not base64 of 12 bytes',
  ERR_CSTG_DECRYPT: 'CSTG payload failed to decrypt',
  ERR_CSTG_PAYLOAD_NOT_JSON: 'CSTG payload is not a JSON object',
  ERR_KEY_FORMAT: 'key text is not a prefixed base64 DER key',
} as const;

/** Every code an {@link EnvelopeError} can carry. */
export type EnvelopeErrorCode = keyof typeof ENVELOPE_ERROR_DESCRIPTIONS;

/** Which side of the key agreement failed, on `ERR_CSTG_BAD_PUBLIC_KEY` (see {@link EnvelopeError.detail}). */
export type PublicKeyFailure = 'encoding' | 'agreement';

/**
 * The one error of this package. A crypto failure reveals nothing but its `code`.
 *
 * `detail` is set on two codes only: `ERR_ENVELOPE_VERSION` carries the received version byte
 * (unsigned, 0-255), and `ERR_CSTG_BAD_PUBLIC_KEY` carries a {@link PublicKeyFailure}:
 * `'encoding'` when the key is not base64 or not an EC SubjectPublicKeyInfo (the reference answers
 * 400 `bad public key`), `'agreement'` when it parses but ECDH with it fails (another curve, a point
 * off the curve; the reference fails there with a 500).
 */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  readonly code: EnvelopeErrorCode;
  readonly detail: number | PublicKeyFailure | undefined;

  constructor(code: EnvelopeErrorCode, detail?: number | PublicKeyFailure) {
    super(ENVELOPE_ERROR_DESCRIPTIONS[code]);
    this.code = code;
    this.detail = detail;
  }
}

/** `UID2` or `EUID`: picks the documentation host in envelope error messages. */
export type IdentityScope = 'UID2' | 'EUID';

const DOCS_HOST: Record<IdentityScope, string> = {
  UID2: 'https://unifiedid.com',
  EUID: 'https://euid.eu',
};

function hint(scope: IdentityScope): string {
  return ` See ${DOCS_HOST[scope]}/docs/getting-started/gs-encryption-decryption for details on the request envelope format.`;
}

function unencryptedJsonMessage(scope: IdentityScope): string {
  return (
    'Invalid body: The request body is unencrypted JSON. It must be an encrypted request envelope.' +
    ` See ${DOCS_HOST[scope]}/docs/getting-started/gs-encryption-decryption#encryption-and-decryption-code-examples` +
    ' for encryption and decryption code examples.'
  );
}

/**
 * The exact wire message the reference operator sends (as `{"status":"client_error","message":…}`,
 * HTTP 400) for an error, including the documentation hint and its EUID host (spec/api.md §3.1
 * steps a–h; §6.4 rows 7–10 for the `ERR_CSTG_*` codes).
 *
 * Codes that never reach the wire (`ERR_ENVELOPE_NONCE_MISMATCH` is a client-side check,
 * `ERR_KEY_FORMAT` a configuration problem) get a short fixed text.
 */
export function envelopeErrorMessage(error: EnvelopeError, scope: IdentityScope): string {
  switch (error.code) {
    case 'ERR_ENVELOPE_MISSING':
      return 'Invalid body: Body is missing.';
    case 'ERR_ENVELOPE_NOT_BASE64':
      return 'Invalid body: Body is not valid base64.' + hint(scope);
    case 'ERR_ENVELOPE_TOO_SHORT':
      return 'Invalid body: Body too short. Check encryption method.' + hint(scope);
    case 'ERR_ENVELOPE_VERSION': {
      const received = typeof error.detail === 'number' ? error.detail : 0;
      return (
        `Invalid body: Invalid request envelope format version: received ${received}, must be 1.` +
        hint(scope)
      );
    }
    case 'ERR_ENVELOPE_DECRYPT':
      return 'Invalid body: Check encryption key (ClientSecret).' + hint(scope);
    case 'ERR_ENVELOPE_STALE':
      return 'Invalid timestamp: Request too old or client time drift.';
    case 'ERR_ENVELOPE_PAYLOAD_NOT_JSON':
      return 'Invalid payload in body: Data is not valid json string.';
    case 'ERR_ENVELOPE_UNENCRYPTED_JSON':
      return unencryptedJsonMessage(scope);
    case 'ERR_ENVELOPE_NONCE_MISMATCH':
      return 'nonce mismatch';
    case 'ERR_CSTG_BAD_PUBLIC_KEY':
      return 'bad public key';
    case 'ERR_CSTG_BAD_IV':
      return 'bad iv';
    case 'ERR_CSTG_DECRYPT':
      return 'payload decryption failed';
    case 'ERR_CSTG_PAYLOAD_NOT_JSON':
      return 'encrypted payload contains invalid json';
    case 'ERR_KEY_FORMAT':
      return 'invalid key format';
  }
}
