import { type ECDH, createECDH, createPrivateKey, createPublicKey } from 'node:crypto';
import { EnvelopeError } from './envelope-error.js';
import { asBuffer } from './internal/bytes.js';

const CURVE = 'prime256v1';

/**
 * DER prefix of every P-256 SubjectPublicKeyInfo with an uncompressed point: SEQUENCE,
 * AlgorithmIdentifier(id-ecPublicKey, prime256v1), BIT STRING header. The 65-byte point follows.
 */
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');
const P256_SPKI_BYTES = P256_SPKI_PREFIX.length + 65;

/**
 * A server CSTG private key prepared once for fast ECDH (`createECDH` with the raw scalar), so
 * each request costs one scalar multiplication and no key import. Build it with
 * {@link createCstgServerKey} when the keypair is loaded.
 */
export class CstgServerKey {
  readonly #ecdh: ECDH;

  /** @internal use {@link createCstgServerKey} */
  constructor(ecdh: ECDH) {
    this.#ecdh = ecdh;
  }

  /** @internal raw ECDH with an uncompressed point; throws on an invalid point */
  agree(point: Uint8Array): Buffer {
    return this.#ecdh.computeSecret(point);
  }

  /** The matching public key as a 91-byte P-256 SubjectPublicKeyInfo (DER). */
  publicKeySpki(): Buffer {
    return Buffer.concat([P256_SPKI_PREFIX, this.#ecdh.getPublicKey()]);
  }
}

/**
 * Prepares a server private key for {@link cstgSharedSecret} (spec/api.md §3.4).
 *
 * @param pkcs8Der the PKCS#8 DER of a P-256 private key (the base64 after the `UID2-Y-L-` prefix, decoded)
 * @throws EnvelopeError `ERR_KEY_FORMAT` when the bytes are not a P-256 PKCS#8 private key
 */
export function createCstgServerKey(pkcs8Der: Uint8Array): CstgServerKey {
  let scalar: string | undefined;
  try {
    const key = createPrivateKey({ key: asBuffer(pkcs8Der), format: 'der', type: 'pkcs8' });
    if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === CURVE) {
      scalar = key.export({ format: 'jwk' }).d;
    }
  } catch {
    scalar = undefined;
  }
  if (scalar === undefined) throw new EnvelopeError('ERR_KEY_FORMAT');
  const ecdh = createECDH(CURVE);
  ecdh.setPrivateKey(Buffer.from(scalar, 'base64url'));
  return new CstgServerKey(ecdh);
}

/**
 * The 65-byte uncompressed P-256 point of a SubjectPublicKeyInfo. The standard 91-byte encoding is
 * sliced directly; anything else goes through a full DER parse.
 *
 * @throws EnvelopeError `ERR_CSTG_BAD_PUBLIC_KEY` (detail `'encoding'` when not an EC SPKI,
 *   `'agreement'` when it is an EC key on another curve)
 */
export function p256PointFromSpki(spkiDer: Uint8Array): Buffer {
  const der = asBuffer(spkiDer);
  if (der.length === P256_SPKI_BYTES && der.subarray(0, P256_SPKI_PREFIX.length).equals(P256_SPKI_PREFIX)) {
    return der.subarray(P256_SPKI_PREFIX.length);
  }
  let jwk: { x?: string | undefined; y?: string | undefined; crv?: string | undefined };
  try {
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ec') throw new Error('not an EC key');
    jwk = key.export({ format: 'jwk' });
  } catch {
    throw new EnvelopeError('ERR_CSTG_BAD_PUBLIC_KEY', 'encoding');
  }
  if (jwk.crv !== 'P-256' || jwk.x === undefined || jwk.y === undefined) {
    throw new EnvelopeError('ERR_CSTG_BAD_PUBLIC_KEY', 'agreement');
  }
  return Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

/**
 * The CSTG AES-256-GCM key: the raw 32-byte P-256 ECDH shared secret (x coordinate), used directly
 * with no KDF (spec/api.md §3.4). The client point is validated; a point off the curve is an error.
 *
 * @param serverKey a prepared {@link CstgServerKey}, or PKCS#8 DER (prepared on every call: slower)
 * @param clientPublicKeySpkiDer the client's ephemeral public key, SubjectPublicKeyInfo DER
 * @returns 32 bytes
 * @throws EnvelopeError `ERR_CSTG_BAD_PUBLIC_KEY` (see {@link p256PointFromSpki}; detail
 *   `'agreement'` for an invalid point), `ERR_KEY_FORMAT` for an unusable server key
 */
export function cstgSharedSecret(
  serverKey: CstgServerKey | Uint8Array,
  clientPublicKeySpkiDer: Uint8Array,
): Buffer {
  const key = serverKey instanceof CstgServerKey ? serverKey : createCstgServerKey(serverKey);
  const point = p256PointFromSpki(clientPublicKeySpkiDer);
  try {
    return key.agree(point);
  } catch {
    throw new EnvelopeError('ERR_CSTG_BAD_PUBLIC_KEY', 'agreement');
  }
}

/** A P-256 public key as 91-byte SubjectPublicKeyInfo DER, from its 65-byte uncompressed point. */
export function p256SpkiFromPoint(point: Uint8Array): Buffer {
  return Buffer.concat([P256_SPKI_PREFIX, point]);
}
