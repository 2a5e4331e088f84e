/**
 * What each {@link DbError} code means, as a default message. Most throw sites pass a more specific
 * message naming the setting or object involved (never a secret, key, token or DII).
 */
const DB_ERROR_DESCRIPTIONS = {
  ERR_DB_CONFIG: 'database settings are invalid',
  ERR_DB_CONNECT: 'cannot connect to the database',
  ERR_DB_EMBEDDED_CORRUPT: 'the embedded database directory is damaged or not a PGlite database',
  ERR_DB_EMBEDDED_LOCKED: 'the embedded database directory is in use by another process',
  ERR_DB_KEK_INVALID: 'UID2_KEK is not base64 of 32 bytes',
  ERR_DB_KEK_MISMATCH: 'UID2_KEK does not match the key-encryption key this database was created with',
  ERR_DB_DECRYPT: 'a stored secret failed to decrypt',
  ERR_DB_MIGRATION_CHECKSUM: 'an applied migration was changed after it was applied',
  ERR_DB_MIGRATION_UNKNOWN: 'the database has a migration this build does not know',
  ERR_DB_MIGRATION_FAILED: 'a migration failed',
  ERR_DB_NOT_FOUND: 'the requested record does not exist',
  ERR_DB_CONFLICT: 'a record with the same identifier already exists',
  ERR_DB_INVALID_INPUT: 'an argument is invalid',
  ERR_DB_SALTS_EXIST: 'salts are already initialized',
  ERR_DB_SALTS_MISSING: 'salts are not initialized',
  ERR_DB_SEED_CONFLICT: 'the database holds data that was not created by the development seed',
  ERR_DB_CLOSED: 'the database is closed',
  ERR_DB_QUERY: 'a database operation failed',
} as const;

/**
 * Every code a {@link DbError} can carry:
 *
 * - `ERR_DB_CONFIG`: `DATABASE_URL` is unparsable or has an unsupported scheme, or the embedded
 *   data directory setting is unusable (e.g. a file).
 * - `ERR_DB_CONNECT`: PostgreSQL is unreachable or refused the login.
 * - `ERR_DB_EMBEDDED_CORRUPT`: the PGlite data directory exists but is not a (complete) cluster.
 * - `ERR_DB_EMBEDDED_LOCKED`: another live process (or Database) has the data directory open.
 * - `ERR_DB_KEK_INVALID`: a key-encryption key is not base64 of 32 bytes, or its file is malformed.
 * - `ERR_DB_KEK_MISMATCH`: the KEK is not the one the database was created with.
 * - `ERR_DB_DECRYPT`: a stored ciphertext failed authentication (tampered row or wrong KEK).
 * - `ERR_DB_MIGRATION_CHECKSUM` / `ERR_DB_MIGRATION_UNKNOWN` / `ERR_DB_MIGRATION_FAILED`: see the
 *   migration runner; `detail` is the migration name.
 * - `ERR_DB_NOT_FOUND`, `ERR_DB_CONFLICT`, `ERR_DB_INVALID_INPUT`: admin operation errors.
 * - `ERR_DB_SALTS_EXIST`, `ERR_DB_SALTS_MISSING`: salt table state does not allow the operation.
 * - `ERR_DB_SEED_CONFLICT`: the dev seed found data it did not write.
 * - `ERR_DB_CLOSED`: the `Database` was used after `close()`.
 * - `ERR_DB_QUERY`: any other database failure (`detail`: the SQLSTATE when known).
 */
export type DbErrorCode = keyof typeof DB_ERROR_DESCRIPTIONS;

/** Every {@link DbErrorCode}, for exhaustive mapping tables (e.g. CLI exit codes). */
export const DB_ERROR_CODES = Object.keys(DB_ERROR_DESCRIPTIONS) as readonly DbErrorCode[];

/**
 * The one error class of `@uid2-operator/db`. `message` is meant for operators reading logs or a
 * CLI: it names the setting or object involved but never contains secrets, keys, tokens or DII.
 */
export class DbError extends Error {
  override readonly name = 'DbError';
  /** Machine-readable reason, see {@link DbErrorCode}. */
  readonly code: DbErrorCode;
  /** Optional machine-readable context: a migration name, a SQLSTATE, a record id. */
  readonly detail: string | undefined;

  /**
   * @param code - the reason.
   * @param message - a specific, secret-free message; defaults to the code's description.
   * @param detail - optional context (migration name, SQLSTATE, record id).
   */
  constructor(code: DbErrorCode, message?: string, detail?: string) {
    super(message ?? DB_ERROR_DESCRIPTIONS[code]);
    this.code = code;
    this.detail = detail;
  }
}
