import { usageError } from './cli-error.js';

/** Splits a comma-separated flag value into trimmed, non-empty items. */
export function commaList(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Parses a flag value as an integer. @throws CliError (usage) */
export function integer(text: string, name: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value)) throw usageError(`${name} must be an integer`);
  return value;
}

/** Parses a comma-separated list of integers. @throws CliError (usage) */
export function integerList(text: string | undefined, name: string): number[] {
  return commaList(text).map((item) => integer(item, name));
}

/** Commander collector for repeatable flags (`--keyset 3 --keyset 4`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
