import type { IdentityScope, IdentityType } from '../types.js';

const SCOPE_VALUE: Readonly<Record<IdentityScope, number>> = { UID2: 0, EUID: 1 };
const TYPE_VALUE: Readonly<Record<IdentityType, number>> = { email: 0, phone: 1 };

/** `(scope << 4) | (type << 2) | 3`: byte 0 of V3/V4 tokens (spec/internals.md §1.2). */
export function identityByte(scope: IdentityScope, type: IdentityType): number {
  return (SCOPE_VALUE[scope] << 4) | (TYPE_VALUE[type] << 2) | 3;
}

/** `scope << 4`: byte 0 of the 388-character refresh wrapper (spec/internals.md §2.3). */
export function scopeByte(scope: IdentityScope): number {
  return SCOPE_VALUE[scope] << 4;
}

/** Scope bit 4 of an identity or raw-UID metadata byte. */
export function scopeOf(byte: number): IdentityScope {
  return (byte & 0x10) === 0 ? 'UID2' : 'EUID';
}

/** Type bits 2-3 of an identity byte; `undefined` for the unassigned values 2 and 3. */
export function typeOf(byte: number): IdentityType | undefined {
  const value = (byte & 0x0f) >> 2;
  return value === 0 ? 'email' : value === 1 ? 'phone' : undefined;
}
