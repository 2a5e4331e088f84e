import {
  DII_FIELD_INFO,
  DII_FIELDS,
  ErrorMessage,
  parseIdentityMapV3Request,
} from '@uid2-operator/api-contracts';
import {
  EnvelopeError,
  openRequestEnvelope,
  sealResponseEnvelope,
  type EnvelopeErrorCode,
  type PublicKeyFailure,
} from '@uid2-operator/crypto-envelope';
import type { OptOutPolicy } from '@uid2-operator/optout';
import type { SaltSource } from '@uid2-operator/salt-buckets';
import { ApiError, type ApiErrorStatus } from '../errors.js';
import type { RandomPool } from '../lib/random-pool.js';
import type { MapSettings } from './hash-batch.js';
import { mapV3JsonRun, v3ResponseBytes } from './map-v3-json.js';

/** One whole `/v3/identity/map` request, as the event loop hands it to a hashing worker. */
export interface V3MapRequest {
  /** The raw request body (base64 text or envelope bytes). */
  readonly body: Uint8Array;
  /** Sent as `application/octet-stream` (spec/api.md §2.3). */
  readonly binary: boolean;
  /** The authenticated client's 32-byte secret. */
  readonly secret: Uint8Array;
  /** Server time of the request, epoch ms. */
  readonly nowMs: number;
  /** The client is service-linked (`service_id ≠ 0`): refused after the input checks. */
  readonly serviceKey: boolean;
  /** Config `ENABLE_PHONE_SUPPORT`. */
  readonly phoneSupport: boolean;
}

/** Why a {@link V3MapRequest} was refused: an envelope error or an exact UID2 error answer. */
export type V3MapRefusal =
  | {
      readonly kind: 'envelope';
      readonly code: EnvelopeErrorCode;
      readonly detail: number | PublicKeyFailure | undefined;
    }
  | {
      readonly kind: 'api';
      readonly status: ApiErrorStatus;
      readonly message: string;
      readonly httpStatus: number;
    };

/**
 * The answer to a {@link V3MapRequest}: the final 200 body (sealed; base64 text bytes unless the
 * request was binary), or the refusal to rethrow on the event loop.
 */
export type V3MapAnswer =
  | {
      readonly ok: true;
      /** Owns its whole `ArrayBuffer`, so it can be transferred. */
      readonly body: Uint8Array;
      /** Answer with `application/octet-stream` (raw bytes) instead of `text/plain` base64. */
      readonly binary: boolean;
    }
  | { readonly ok: false; readonly refusal: V3MapRefusal };

/** What answering needs besides the request: the salts, settings, opt-out policy and IVs. */
export interface V3MapContext {
  readonly source: SaltSource;
  readonly settings: MapSettings;
  readonly policy: Pick<OptOutPolicy, 'isOptedOutAt'>;
  readonly random: RandomPool;
}

/**
 * Answers a whole `/v3/identity/map` request (spec/api.md §7.2) in one place, as the reference's
 * `enable_async_batch_request` does on its worker pool: open the envelope (§3.1), parse the strict
 * request, refuse service keys, map every identifier with its opt-out decision, and seal the
 * answer (§3.2). Runs in a hashing worker, so the event loop only moves bytes; the answers and
 * refusals are exactly those of the envelope hook and the route on the event loop.
 *
 * @throws SaltError as `hashIdentities` (the route answers 500 `unknown`)
 */
export function answerV3MapRequest(request: V3MapRequest, context: V3MapContext): V3MapAnswer {
  let opened;
  try {
    opened = openRequestEnvelope(request.body, {
      secret: request.secret,
      nowMs: request.nowMs,
      binary: request.binary,
    });
  } catch (error) {
    if (error instanceof EnvelopeError) {
      return { ok: false, refusal: { kind: 'envelope', code: error.code, detail: error.detail } };
    }
    throw error;
  }
  const parsed = parseIdentityMapV3Request(opened.payload, { phoneSupport: request.phoneSupport });
  if (!parsed.ok) {
    const { status, message, httpStatus } = new ApiError(parsed.status, parsed.message, parsed.httpStatus);
    return { ok: false, refusal: { kind: 'api', status, message, httpStatus } };
  }
  if (request.serviceKey) {
    const { status, message, httpStatus } = new ApiError('unauthorized', ErrorMessage.InvalidLinkId);
    return { ok: false, refusal: { kind: 'api', status, message, httpStatus } };
  }
  const [email, emailHash, phone, phoneHash] = DII_FIELDS.map((field) =>
    mapV3JsonRun(
      context.source,
      context.settings,
      context.policy,
      { ...DII_FIELD_INFO[field], values: parsed.value[field] },
      request.nowMs,
    ),
  );
  if (email === undefined || emailHash === undefined || phone === undefined || phoneHash === undefined)
    throw new Error('identity map answered fewer arrays than asked');
  const sealed = sealResponseEnvelope({
    secret: request.secret,
    nowMs: request.nowMs,
    nonce: opened.nonce,
    json: v3ResponseBytes([email, emailHash, phone, phoneHash]),
    iv: context.random.take(12),
  });
  const binary = opened.mode === 'binary';
  return {
    ok: true,
    body: owned(binary ? sealed : Buffer.from(sealed.toString('base64'), 'latin1')),
    binary,
  };
}

/** The error to throw on the event loop for a refusal (the error hook answers it exactly). */
export function refusalError(refusal: V3MapRefusal): Error {
  return refusal.kind === 'envelope'
    ? new EnvelopeError(refusal.code, refusal.detail)
    : new ApiError(refusal.status, refusal.message, refusal.httpStatus);
}

/** `bytes`, or a copy of them, owning a whole unpooled `ArrayBuffer` (safe to transfer). */
function owned(bytes: Buffer): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}
