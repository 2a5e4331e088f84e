/**
 * Bits of the privacy-bits int in tokens (spec/internals.md §7.3). Bit 3 (value 8) is deprecated
 * and must not be reused.
 */
export const PRIVACY_BITS = {
  /** Bit 0, set on every generate and CSTG token ("legacy"). */
  LEGACY: 0b001,
  /** Bit 1: the token came from client-side token generation. */
  CLIENT_SIDE_GENERATED: 0b010,
  /** Bit 2: CSTG opt-out (defined by the reference, unused by its current flow). */
  CLIENT_SIDE_OPTOUT: 0b100,
} as const;

/** Privacy bits of `/v2/token/generate` tokens: 1. */
export const PRIVACY_BITS_FOR_GENERATE = PRIVACY_BITS.LEGACY;

/** Privacy bits of `/v2/token/client-generate` tokens: 3. */
export const PRIVACY_BITS_FOR_CLIENT_SIDE = PRIVACY_BITS.LEGACY | PRIVACY_BITS.CLIENT_SIDE_GENERATED;

/** True when bit 1 is set (the Java SDK reading; the Python SDK 2.9.0 tests bit 30 instead). */
export function isClientSideGenerated(privacyBits: number): boolean {
  return (privacyBits & PRIVACY_BITS.CLIENT_SIDE_GENERATED) !== 0;
}
