import { ErrorMessage } from '../error-messages.js';

/** How the plaintext JSON of an encrypted request travels (spec/api.md §3.1). */
export const REQUEST_ENVELOPE_NOTE =
  'Encrypted request (spec/api.md §3.1). On the wire the body is the standard Base64 text (any Content-Type; or, ' +
  'with `Content-Type: application/octet-stream`, the raw bytes) of `version 0x01 (1) ‖ IV (12) ‖ ' +
  'AES-256-GCM(client secret, timestamp ms int64 BE (8) ‖ nonce (8) ‖ UTF-8 JSON) ‖ tag (16)`. ' +
  'The schema below describes that plaintext JSON; it may be absent (nothing after the nonce).';

/** How the plaintext JSON of an encrypted 200 response travels (spec/api.md §3.2). */
export const RESPONSE_ENVELOPE_NOTE =
  'Encrypted response (spec/api.md §3.2): `text/plain` Base64 (raw bytes as `application/octet-stream` when the ' +
  'request was octet-stream) of `IV (12) ‖ AES-256-GCM(client secret, server now ms (8) ‖ request nonce (8) ‖ ' +
  'UTF-8 JSON) ‖ tag (16)`, no version byte. The schema describes that JSON, envelope `status` included.';

/** The refresh response encryption (spec/api.md §3.3). */
export const REFRESH_RESPONSE_NOTE =
  'Encrypted response (spec/api.md §3.3): Base64 (raw bytes for an octet-stream request) of `IV (12) ‖ ' +
  'AES-256-GCM(refresh_response_key issued with the presented token, UTF-8 JSON) ‖ tag (16)`; no timestamp, no ' +
  'nonce. On the legacy path (body length ≠ 388) the JSON is returned unencrypted as application/json.';

/** The CSTG response encryption (spec/api.md §3.4). */
export const CSTG_RESPONSE_NOTE =
  'Encrypted response (spec/api.md §3.4): Base64 text of `IV (12) ‖ AES-256-GCM(ECDH P-256 shared secret, UTF-8 ' +
  'JSON) ‖ tag (16)`, no AAD, no timestamp or nonce. The schema describes that JSON.';

const HINT =
  ' See https://unifiedid.com/docs/getting-started/gs-encryption-decryption for details on the request envelope format.';

/** Envelope failures every encrypted endpoint may answer with (spec/api.md §3.1 steps a–h; UID2 host). */
export const ENVELOPE_ERRORS: readonly string[] = [
  'Invalid body: Body is missing.',
  `Invalid body: Body is not valid base64.${HINT}`,
  `Invalid body: Body too short. Check encryption method.${HINT}`,
  `Invalid body: Invalid request envelope format version: received <byte 0>, must be 1.${HINT}`,
  `Invalid body: Check encryption key (ClientSecret).${HINT}`,
  'Invalid body: The request body is unencrypted JSON. It must be an encrypted request envelope. See https://unifiedid.com/docs/getting-started/gs-encryption-decryption#encryption-and-decryption-code-examples for encryption and decryption code examples.',
  'Invalid timestamp: Request too old or client time drift.',
  'Invalid payload in body: Data is not valid json string.',
];

/** Formats a list of `status`/`message` pairs as a Markdown list for a response description. */
export function errorList(title: string, entries: readonly (readonly [string, string])[]): string {
  return `${title}\n\n${entries.map(([status, message]) => `- \`${status}\`: \`${message}\``).join('\n')}`;
}

/** Client errors of the single-DII endpoints (generate, validate), spec/api.md §6.1, §6.3. */
export const DII_ERRORS: readonly (readonly [string, string])[] = [
  ['client_error', ErrorMessage.ExactlyOneDii],
  ['client_error', ErrorMessage.ExactlyOneEmailDii],
  ['client_error', ErrorMessage.InvalidIdentifier],
];
