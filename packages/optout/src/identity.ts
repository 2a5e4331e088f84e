/**
 * Identity scope of an opt-out: `'UID2' | 'EUID'` (spec/internals.md §0). The same union is declared
 * by every package that may not import another one.
 */
export type IdentityScope = 'UID2' | 'EUID';

/** Kind of DII an opt-out was recorded for: `'email' | 'phone'` (spec/internals.md §0). */
export type IdentityType = 'email' | 'phone';

/** Every {@link IdentityScope}, in the order of their wire values (UID2 = 0, EUID = 1). */
export const IDENTITY_SCOPES: readonly IdentityScope[] = ['UID2', 'EUID'];

/** Every {@link IdentityType}, in the order of their wire values (email = 0, phone = 1). */
export const IDENTITY_TYPES: readonly IdentityType[] = ['email', 'phone'];

/** Type guard: `value` is `'UID2'` or `'EUID'`. */
export function isIdentityScope(value: unknown): value is IdentityScope {
  return value === 'UID2' || value === 'EUID';
}

/** Type guard: `value` is `'email'` or `'phone'`. */
export function isIdentityType(value: unknown): value is IdentityType {
  return value === 'email' || value === 'phone';
}
