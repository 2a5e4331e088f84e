import { decodeBase64Strict } from './base64-strict.js';
import { EnvelopeError } from './envelope-error.js';

/** Length of the `UID2-X-L-` style prefix of CSTG keys (`KEYPAIR_KEY_PREFIX_LENGTH`). */
export const PREFIXED_KEY_PREFIX_LENGTH = 9;

const PREFIX = /^(?:UID2|EUID)-[XY]-[A-Z]-$/;

/** A CSTG key split into its prefix and DER bytes. */
export interface PrefixedKey {
  /** The 9-character prefix, e.g. `UID2-X-L-` (public, SPKI) or `UID2-Y-L-` (private, PKCS#8). */
  readonly prefix: string;
  /** The DER bytes after the prefix (SubjectPublicKeyInfo or PKCS#8). */
  readonly der: Buffer;
}

/**
 * Splits a CSTG keypair string `<scope>-<X|Y>-<env>-<base64 DER>` into prefix and DER
 * (spec/api.md §3.4, spec/internals.md §5.2). The DER itself is not parsed here.
 *
 * @throws EnvelopeError `ERR_KEY_FORMAT` when the prefix is not `UID2|EUID-X|Y-<letter>-` or the
 *   rest is empty or not strict base64
 */
export function parsePrefixedKey(text: string): PrefixedKey {
  const prefix = text.slice(0, PREFIXED_KEY_PREFIX_LENGTH);
  const der = decodeBase64Strict(text.slice(PREFIXED_KEY_PREFIX_LENGTH));
  if (!PREFIX.test(prefix) || der === null || der.length === 0) throw new EnvelopeError('ERR_KEY_FORMAT');
  return { prefix, der };
}
