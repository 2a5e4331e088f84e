import { DbError } from '../db-error.js';

/**
 * Argument checks for the admin operations. They throw `ERR_DB_INVALID_INPUT` (not TypeError)
 * because the values usually come from a CLI user, and the message names the argument.
 */
export function requireInteger(
  name: string,
  value: unknown,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new DbError('ERR_DB_INVALID_INPUT', `${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

/** A trimmed non-empty string. */
export function requireText(name: string, value: unknown, maxLength = 256): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
    throw new DbError(
      'ERR_DB_INVALID_INPUT',
      `${name} must be a non-empty string of at most ${maxLength} characters`,
    );
  }
  return value.trim();
}

/** An optional string (default ''), trimmed. */
export function optionalText(name: string, value: unknown, maxLength = 256): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || value.length > maxLength) {
    throw new DbError('ERR_DB_INVALID_INPUT', `${name} must be a string of at most ${maxLength} characters`);
  }
  return value.trim();
}

/** Epoch milliseconds → whole epoch seconds (floor). */
export function secondsOf(name: string, nowMs: unknown): number {
  return Math.floor(requireInteger(name, nowMs, 0) / 1000);
}

/** A list of distinct trimmed non-empty strings, in first-seen order. */
export function textList(
  name: string,
  values: unknown,
  normalize: (value: string) => string = (v) => v,
): string[] {
  if (values === undefined) return [];
  if (!Array.isArray(values))
    throw new DbError('ERR_DB_INVALID_INPUT', `${name} must be an array of strings`);
  const seen = new Set<string>();
  for (const value of values as unknown[]) {
    if (typeof value !== 'string' || value.trim() === '' || value.length > 256) {
      throw new DbError(
        'ERR_DB_INVALID_INPUT',
        `${name} must contain non-empty strings of at most 256 characters`,
      );
    }
    seen.add(normalize(value.trim()));
  }
  return [...seen];
}
