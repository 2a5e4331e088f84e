/** Kind of directly identifying information (DII): `'email' | 'phone'` (spec/internals.md §0). */
export type IdentityType = 'email' | 'phone';

/**
 * How an identifier arrives in a request (spec/api.md §5.3): `'raw'` for the `email` / `phone`
 * fields (normalized then hashed by the operator), `'hash'` for `email_hash` / `phone_hash`
 * (a client-side SHA-256, base64 or hex).
 */
export type DiiInputForm = 'raw' | 'hash';
