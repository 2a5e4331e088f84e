import type { EncryptionKey, Keyset } from '../types.js';

/** A test key with a deterministic secret (every byte = id mod 256); times in seconds. */
export function key(
  id: number,
  keysetId: number,
  activatesSeconds = 0,
  expiresSeconds = 4_000_000_000,
): EncryptionKey {
  return {
    id,
    keysetId,
    secret: Buffer.alloc(32, id % 256),
    createdSeconds: 0,
    activatesSeconds,
    expiresSeconds,
  };
}

/** A test keyset, enabled and default unless overridden. */
export function keyset(keysetId: number, siteId: number, overrides: Partial<Keyset> = {}): Keyset {
  return { keysetId, siteId, allowedSites: null, enabled: true, isDefault: true, ...overrides };
}
