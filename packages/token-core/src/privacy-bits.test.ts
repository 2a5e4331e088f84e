import { describe, expect, it } from 'vitest';
import {
  PRIVACY_BITS,
  PRIVACY_BITS_FOR_CLIENT_SIDE,
  PRIVACY_BITS_FOR_GENERATE,
  isClientSideGenerated,
} from './privacy-bits.js';

describe('privacy bits', () => {
  it('writes 1 for generate and 3 for client-side generate', () => {
    expect(PRIVACY_BITS_FOR_GENERATE).toBe(1);
    expect(PRIVACY_BITS_FOR_CLIENT_SIDE).toBe(3);
    expect(PRIVACY_BITS.CLIENT_SIDE_OPTOUT).toBe(4);
  });

  it('reads the client-side bit as bit 1', () => {
    expect(isClientSideGenerated(3)).toBe(true);
    expect(isClientSideGenerated(1)).toBe(false);
    expect(isClientSideGenerated(0x4000_0000)).toBe(false);
  });
});
