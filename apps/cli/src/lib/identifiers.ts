import { usageError } from './cli-error.js';

/** The four identifier kinds of the UID2 API, by their wire names. */
export const IDENTIFIER_KINDS = ['email', 'phone', 'email_hash', 'phone_hash'] as const;

/** One of {@link IDENTIFIER_KINDS}. */
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** Where identifiers sit in a CSV file. */
export interface IdentifierLayout {
  /** The first row is a header (skip it). */
  readonly header: boolean;
  /** Column holding the kind, if any. */
  readonly typeIndex: number | undefined;
  /** Column holding the identifier. */
  readonly valueIndex: number;
  /** Kind of every row when there is no type column (from `--type` or a header like `email_hash`). */
  readonly fixedKind: IdentifierKind | undefined;
}

/** Parses `--type`. @throws CliError (usage) for anything but the four kinds */
export function parseKind(text: string | undefined): IdentifierKind | undefined {
  if (text === undefined) return undefined;
  const kind = text.trim().toLowerCase().replace('-', '_');
  if (!isKind(kind)) throw usageError(`--type must be one of ${IDENTIFIER_KINDS.join(', ')}`);
  return kind;
}

function isKind(text: string): text is IdentifierKind {
  return (IDENTIFIER_KINDS as readonly string[]).includes(text);
}

/**
 * Works out the layout from the first row: a header naming `identifier` (or `value`) and
 * optionally `type`, or a single header cell that is itself a kind (`email_hash`); without a
 * header, two columns are `type,identifier` and one column is the identifier alone.
 */
export function detectLayout(
  firstRow: readonly string[],
  fixedKind: IdentifierKind | undefined,
): IdentifierLayout {
  const names = firstRow.map((cell) => cell.trim().toLowerCase());
  const valueIndex = names.findIndex((name) => name === 'identifier' || name === 'value');
  if (valueIndex !== -1) {
    const typeIndex = names.indexOf('type');
    return { header: true, typeIndex: typeIndex === -1 ? undefined : typeIndex, valueIndex, fixedKind };
  }
  if (names.length === 1 && isKind(names[0] ?? '')) {
    return {
      header: true,
      typeIndex: undefined,
      valueIndex: 0,
      fixedKind: fixedKind ?? (names[0] as IdentifierKind),
    };
  }
  if (names.length >= 2 && (isKind(names[0] ?? '') || names[0] === 'type')) {
    return { header: names[0] === 'type', typeIndex: 0, valueIndex: 1, fixedKind };
  }
  return { header: false, typeIndex: undefined, valueIndex: 0, fixedKind };
}

/** A CSV row read as an identifier, or why it could not be. */
export type RowIdentifier =
  | { readonly kind: IdentifierKind; readonly value: string }
  | { readonly kind: undefined; readonly value: string; readonly problem: string };

/**
 * Reads one row with a layout. Without a type column or fixed kind, `@` means email and a leading
 * `+` means phone; hashes are ambiguous and need a type.
 */
export function identifierOf(cells: readonly string[], layout: IdentifierLayout): RowIdentifier {
  const value = (cells[layout.valueIndex] ?? '').trim();
  if (layout.typeIndex !== undefined) {
    const kind = (cells[layout.typeIndex] ?? '').trim().toLowerCase();
    return isKind(kind) ? { kind, value } : { kind: undefined, value, problem: 'unknown identifier type' };
  }
  if (layout.fixedKind !== undefined) return { kind: layout.fixedKind, value };
  if (value.includes('@')) return { kind: 'email', value };
  if (value.startsWith('+')) return { kind: 'phone', value };
  return { kind: undefined, value, problem: 'cannot tell the identifier type (add a type column or --type)' };
}
