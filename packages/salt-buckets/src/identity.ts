/** Identity scope of the operator: `'UID2' | 'EUID'` (byte value UID2 = 0, EUID = 1). */
export type IdentityScope = 'UID2' | 'EUID';

/** Kind of DII: `'email' | 'phone'` (byte value email = 0, phone = 1). */
export type IdentityType = 'email' | 'phone';

/**
 * Runtime config `identity_environment`: `'test' | 'integ' | 'prod'` (byte value 0 / 1 / 2),
 * written into bits 7–6 of a raw UID v4 (spec/internals.md §3.7).
 */
export type IdentityEnvironment = 'test' | 'integ' | 'prod';

/** Numeric value of each {@link IdentityScope} as used in bytes (spec/internals.md §0). */
export const IDENTITY_SCOPE_VALUE = { UID2: 0, EUID: 1 } as const satisfies Record<IdentityScope, number>;

/** Numeric value of each {@link IdentityType} as used in bytes (spec/internals.md §0). */
export const IDENTITY_TYPE_VALUE = { email: 0, phone: 1 } as const satisfies Record<IdentityType, number>;

/** Numeric value of each {@link IdentityEnvironment} (spec/internals.md §0). */
export const IDENTITY_ENVIRONMENT_VALUE = { test: 0, integ: 1, prod: 2 } as const satisfies Record<
  IdentityEnvironment,
  number
>;

/**
 * First byte of a raw UID v3: `(scope << 4) | (type << 2)` (spec/internals.md §3.6), i.e.
 * 0x00 UID2 email, 0x04 UID2 phone, 0x10 EUID email, 0x14 EUID phone.
 *
 * @param scope - identity scope.
 * @param type - identity type.
 */
export function rawUidV3PrefixByte(scope: IdentityScope, type: IdentityType): number {
  return (IDENTITY_SCOPE_VALUE[scope] << 4) | (IDENTITY_TYPE_VALUE[type] << 2);
}

/**
 * Meta byte of a raw UID v4: `(env << 6) | 0x20 | (scope << 4) | (type << 2)`
 * (spec/internals.md §3.7, spec/api.md §5.4), e.g. 0x20 UID2/email/test, 0xB4 EUID/phone/prod.
 *
 * @param scope - identity scope.
 * @param type - identity type.
 * @param environment - the operator's `identity_environment`.
 */
export function rawUidV4MetaByte(
  scope: IdentityScope,
  type: IdentityType,
  environment: IdentityEnvironment,
): number {
  return (IDENTITY_ENVIRONMENT_VALUE[environment] << 6) | 0x20 | rawUidV3PrefixByte(scope, type);
}
