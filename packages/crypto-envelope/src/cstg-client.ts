import { createECDH } from 'node:crypto';
import { cstgAad } from './cstg-aad.js';
import { p256PointFromSpki, p256SpkiFromPoint } from './cstg-key-agreement.js';
import { EnvelopeError } from './envelope-error.js';
import { gcmEncrypt } from './gcm.js';
import { requireLength } from './internal/bytes.js';
import type { JsonObject } from './internal/json-object.js';

/** Inputs of {@link createCstgRequest}. */
export interface CreateCstgRequestInput {
  /** The server public key: SubjectPublicKeyInfo DER (the base64 after `UID2-X-L-`, decoded). */
  readonly serverPublicKey: Uint8Array;
  /** The client's ephemeral P-256 private scalar: 32 random bytes supplied by the caller. */
  readonly clientPrivateKey: Uint8Array;
  /** The inner JSON: an object, or JSON text used byte for byte. */
  readonly payload: JsonObject | string;
  /** Client time in epoch ms; `null`/absent omits the `timestamp` field (the AAD then uses 0). */
  readonly timestampMs?: number | null;
  /** Mobile app name; when present it is sent and bound into the AAD. */
  readonly appName?: string | null;
  readonly subscriptionId: string;
  /** 12 random bytes. */
  readonly iv: Uint8Array;
}

/** The JSON body of `/v2/token/client-generate`, fields in the order the JS SDK sends them. */
export interface CstgRequestBody {
  payload: string;
  iv: string;
  public_key: string;
  timestamp?: number;
  subscription_id: string;
  app_name?: string;
}

/** A CSTG request and the shared secret that opens its response. */
export interface CreatedCstgRequest {
  readonly body: CstgRequestBody;
  /** 32-byte AES key of the response ({@link openCstgResponse}). */
  readonly sharedSecret: Buffer;
}

/**
 * Client half of CSTG (spec/api.md §3.4), as the JS SDK does it: ECDH with the server key, AES-GCM
 * over the inner JSON with AAD `[timestamp]` / `[timestamp,"app_name"]`, payload = base64(ct ‖ tag).
 * Used by tests and the client package.
 *
 * @throws EnvelopeError `ERR_KEY_FORMAT` when the server key is not a P-256 SPKI
 * @throws TypeError on a wrong private key or IV length
 */
export function createCstgRequest(input: CreateCstgRequestInput): CreatedCstgRequest {
  requireLength(input.clientPrivateKey, 32, 'P-256 private scalar');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(input.clientPrivateKey);
  let sharedSecret: Buffer;
  try {
    sharedSecret = ecdh.computeSecret(p256PointFromSpki(input.serverPublicKey));
  } catch {
    throw new EnvelopeError('ERR_KEY_FORMAT');
  }
  const timestamp = input.timestampMs ?? undefined;
  const aad = cstgAad(timestamp ?? 0, input.appName);
  const plaintext = Buffer.from(
    typeof input.payload === 'string' ? input.payload : JSON.stringify(input.payload),
  );
  const sealed = gcmEncrypt(sharedSecret, plaintext, input.iv, aad);

  const body: CstgRequestBody = {
    payload: sealed.subarray(12).toString('base64'),
    iv: Buffer.from(input.iv).toString('base64'),
    public_key: p256SpkiFromPoint(ecdh.getPublicKey()).toString('base64'),
    ...(timestamp === undefined ? {} : { timestamp }),
    subscription_id: input.subscriptionId,
    ...(input.appName === undefined || input.appName === null ? {} : { app_name: input.appName }),
  };
  return { body, sharedSecret };
}
