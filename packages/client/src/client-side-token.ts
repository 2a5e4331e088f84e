import {
  EnvelopeError,
  PREFIXED_KEY_PREFIX_LENGTH,
  createCstgRequest,
  decodeBase64Strict,
  parsePrefixedKey,
} from '@uid2-operator/crypto-envelope';

/** The hashed identifier a client-side request carries: the operator accepts hashes only (spec/api.md §6.4). */
export type ClientSideIdentity =
  | { readonly emailHash: string; readonly phoneHash?: never }
  | { readonly phoneHash: string; readonly emailHash?: never };

/** Inputs of {@link createClientSideTokenRequest}. */
export interface ClientSideTokenRequestInput {
  /** The publisher's server public key: `UID2-X-L-<base64 SPKI>` (prefix optional). */
  readonly serverPublicKey: string;
  readonly subscriptionId: string;
  /** Base64 (or hex) SHA-256 of the normalized email or phone. */
  readonly identity: ClientSideIdentity;
  /** Mobile app name (Android app id, iOS bundle id); bound into the AAD. */
  readonly appName?: string | null | undefined;
  /** Client time, epoch ms; `null` omits the field (the AAD then uses 0). */
  readonly timestampMs: number | null;
  /** The ephemeral P-256 private scalar: 32 random bytes in [1, n-1]. */
  readonly clientPrivateKey: Uint8Array;
  /** 12 random bytes. */
  readonly iv: Uint8Array;
}

/** A ready `/v2/token/client-generate` request. */
export interface ClientSideTokenRequest {
  /** The JSON body, fields in the order the JS SDK sends them. */
  readonly body: string;
  /** The 32-byte ECDH shared secret that decrypts the response. */
  readonly sharedSecret: Buffer;
}

/**
 * Builds a client-side token generation request exactly as the UID2 JS web SDK does (spec/api.md
 * §3.4, §6.4): P-256 ECDH with the server key, the raw X coordinate as AES-256-GCM key,
 * `payload` = base64(ciphertext ‖ tag) of `{"email_hash":…}` / `{"phone_hash":…}`, AAD
 * `[timestamp]` or `[timestamp,"app_name"]`.
 *
 * @throws TypeError when the server key is not a `UID2-X-`/`EUID-X-` (or bare base64) P-256 SPKI,
 *   when the private key is not a valid 32-byte scalar, or the IV is not 12 bytes
 */
export function createClientSideTokenRequest(input: ClientSideTokenRequestInput): ClientSideTokenRequest {
  const payload =
    input.identity.emailHash !== undefined
      ? { email_hash: input.identity.emailHash }
      : { phone_hash: input.identity.phoneHash };
  try {
    const created = createCstgRequest({
      serverPublicKey: serverKeyDer(input.serverPublicKey),
      clientPrivateKey: input.clientPrivateKey,
      payload,
      timestampMs: input.timestampMs,
      appName: input.appName ?? null,
      subscriptionId: input.subscriptionId,
      iv: input.iv,
    });
    return { body: JSON.stringify(created.body), sharedSecret: created.sharedSecret };
  } catch (error) {
    if (error instanceof EnvelopeError) throw new TypeError('serverPublicKey is not a P-256 public key');
    if (error instanceof Error && !(error instanceof TypeError))
      throw new TypeError('clientPrivateKey is not a valid P-256 scalar');
    throw error;
  }
}

function serverKeyDer(text: string): Uint8Array {
  if (text.length > PREFIXED_KEY_PREFIX_LENGTH && text[PREFIXED_KEY_PREFIX_LENGTH - 1] === '-') {
    return parsePrefixedKey(text).der;
  }
  const der = decodeBase64Strict(text);
  if (der === null || der.length === 0) throw new EnvelopeError('ERR_KEY_FORMAT');
  return der;
}
