import { DbError } from '../db-error.js';
import { Prisma } from '../generated/prisma/client.js';

/**
 * Runs a Prisma operation and turns its known request errors into {@link DbError}s:
 * unique violations (P2002) → `ERR_DB_CONFLICT`, missing records (P2025) and missing referenced
 * records (P2003) → `ERR_DB_NOT_FOUND`. `what` names the object for the message (an id, never a secret).
 */
export async function withPrismaErrors<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toDbError(what, error);
  }
}

/** See {@link withPrismaErrors}; other errors become `ERR_DB_QUERY` (or pass through if already DbError). */
export function toDbError(what: string, error: unknown): Error {
  if (error instanceof DbError) return error;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    switch (error.code) {
      case 'P2002':
        return new DbError('ERR_DB_CONFLICT', `${what} already exists`, error.code);
      case 'P2025':
        return new DbError('ERR_DB_NOT_FOUND', `${what} does not exist`, error.code);
      case 'P2003':
        return new DbError('ERR_DB_NOT_FOUND', `${what} refers to a record that does not exist`, error.code);
      default:
        return new DbError(
          'ERR_DB_QUERY',
          `Database operation on ${what} failed (${error.code})`,
          error.code,
        );
    }
  }
  const driverError = error as { code?: unknown; severity?: unknown } | null;
  const sqlState = driverError?.code;
  if (typeof sqlState === 'string' && typeof driverError?.severity === 'string') {
    if (sqlState === '23505') return new DbError('ERR_DB_CONFLICT', `${what} already exists`, sqlState);
    if (sqlState === '23503')
      return new DbError('ERR_DB_NOT_FOUND', `${what} refers to a record that does not exist`, sqlState);
    return new DbError(
      'ERR_DB_QUERY',
      `Database operation on ${what} failed (SQLSTATE ${sqlState})`,
      sqlState,
    );
  }
  return error instanceof Error ? error : new DbError('ERR_DB_QUERY', `Database operation on ${what} failed`);
}
