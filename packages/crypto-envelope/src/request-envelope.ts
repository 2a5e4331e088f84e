import { decodeBase64Strict } from './base64-strict.js';
import { EnvelopeError } from './envelope-error.js';
import { asBuffer, requireLength } from './internal/bytes.js';
import { GCM_IV_BYTES, GCM_TAG_BYTES, gcmOpen, gcmSeal } from './internal/gcm-core.js';
import { type JsonObject, isJsonObject, parseJsonObject } from './internal/json-object.js';

/** The request envelope version byte (spec/api.md §3.1). */
export const REQUEST_ENVELOPE_VERSION = 1;

const HEADER_BYTES = 16; // timestamp (8) + nonce (8)
const NONCE_BYTES = 8;

/** Smallest valid request envelope: version + IV + tag + timestamp + nonce = 45 bytes. */
export const MIN_REQUEST_ENVELOPE_BYTES = 1 + GCM_IV_BYTES + GCM_TAG_BYTES + HEADER_BYTES;

/** Options of {@link openRequestEnvelope}. */
export interface OpenRequestEnvelopeOptions {
  /** The client secret: 32 raw bytes (the base64-decoded `secret` of the API client). */
  readonly secret: Uint8Array;
  /** Server time, epoch milliseconds. */
  readonly nowMs: number;
  /** The request was sent as `application/octet-stream` (raw envelope bytes, spec/api.md §2.3). */
  readonly binary?: boolean;
}

/** A request envelope that decrypted, passed the clock check and carried a JSON object or nothing. */
export interface OpenedRequestEnvelope {
  /** Client timestamp, epoch milliseconds. */
  readonly timestampMs: number;
  /** The 8 nonce bytes to echo in the response envelope. */
  readonly nonce: Buffer;
  /** The JSON object after the nonce, or `null` when the plaintext ends after the nonce. */
  readonly payload: JsonObject | null;
  /** Which form succeeded: `'binary'` (answer with raw bytes) or `'text'` (answer with base64). */
  readonly mode: 'text' | 'binary';
}

/**
 * Opens a v2 request envelope on the server (spec/api.md §3.1, §2.3; spec/internals.md §8).
 *
 * Text mode (default): `body` is base64 text (or its bytes). Binary mode: `body` is the raw
 * envelope; if that fails and the body is valid base64, it is decoded and retried as text, and the
 * retry's error wins; if the body is not valid base64 the binary attempt's error stands.
 *
 * Each failure of steps a–h is its own {@link EnvelopeError} code, checked in this order:
 * `ERR_ENVELOPE_MISSING` (a: no body; c: nothing decoded), `ERR_ENVELOPE_NOT_BASE64` (b, strict Java
 * decoder), `ERR_ENVELOPE_TOO_SHORT` (d: < 45 bytes), `ERR_ENVELOPE_VERSION` (e: detail = byte 0),
 * `ERR_ENVELOPE_DECRYPT` (f), `ERR_ENVELOPE_STALE` (g), `ERR_ENVELOPE_PAYLOAD_NOT_JSON` (h).
 * At b, d and e a body that is itself a JSON object gives `ERR_ENVELOPE_UNENCRYPTED_JSON` instead.
 *
 * Clock window (g): accepted while `now − ts < 120000` ms in the past and `ts − now ≤ 119000` ms in
 * the future (Java `Duration.toMinutes()` truncation).
 *
 * @throws EnvelopeError as listed above; TypeError when `secret` is not 32 bytes
 */
export function openRequestEnvelope(
  body: string | Uint8Array | null | undefined,
  options: OpenRequestEnvelopeOptions,
): OpenedRequestEnvelope {
  if (body === null || body === undefined) throw new EnvelopeError('ERR_ENVELOPE_MISSING');
  if (options.binary !== true) return openText(body, options);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  try {
    return openBytes(bytes, options, 'binary');
  } catch (binaryError) {
    if (!(binaryError instanceof EnvelopeError)) throw binaryError;
    const decoded = decodeBase64Strict(bytes);
    if (decoded === null) throw binaryError;
    return openBytes(decoded, options, 'text');
  }
}

function openText(body: string | Uint8Array, options: OpenRequestEnvelopeOptions): OpenedRequestEnvelope {
  const decoded = decodeBase64Strict(body);
  if (decoded === null) {
    throw new EnvelopeError(isJsonObject(body) ? 'ERR_ENVELOPE_UNENCRYPTED_JSON' : 'ERR_ENVELOPE_NOT_BASE64');
  }
  return openBytes(decoded, options, 'text');
}

function openBytes(
  bytes: Uint8Array,
  options: OpenRequestEnvelopeOptions,
  mode: OpenedRequestEnvelope['mode'],
): OpenedRequestEnvelope {
  if (bytes.length === 0) throw new EnvelopeError('ERR_ENVELOPE_MISSING');
  if (bytes.length < MIN_REQUEST_ENVELOPE_BYTES) {
    throw new EnvelopeError(isJsonObject(bytes) ? 'ERR_ENVELOPE_UNENCRYPTED_JSON' : 'ERR_ENVELOPE_TOO_SHORT');
  }
  const version = bytes[0] ?? 0;
  if (version !== REQUEST_ENVELOPE_VERSION) {
    if (isJsonObject(bytes)) throw new EnvelopeError('ERR_ENVELOPE_UNENCRYPTED_JSON');
    throw new EnvelopeError('ERR_ENVELOPE_VERSION', version);
  }
  const plaintext = gcmOpen(
    options.secret,
    bytes.subarray(1, 1 + GCM_IV_BYTES),
    bytes.subarray(1 + GCM_IV_BYTES),
  );
  if (plaintext === null) throw new EnvelopeError('ERR_ENVELOPE_DECRYPT');

  const timestampMs = Number(plaintext.readBigInt64BE(0));
  if (isOutsideClockWindow(timestampMs, options.nowMs)) throw new EnvelopeError('ERR_ENVELOPE_STALE');

  let payload: JsonObject | null = null;
  if (plaintext.length > HEADER_BYTES) {
    const parsed = parseJsonObject(plaintext.subarray(HEADER_BYTES));
    if (parsed === undefined) throw new EnvelopeError('ERR_ENVELOPE_PAYLOAD_NOT_JSON');
    payload = parsed;
  }
  return { timestampMs, nonce: plaintext.subarray(8, HEADER_BYTES), payload, mode };
}

/**
 * `abs(Duration.between(ts, now).toMinutes()) > 1`: Java floors the millisecond difference to whole
 * seconds, then truncates seconds / 60 toward zero, which makes the window asymmetric.
 */
function isOutsideClockWindow(timestampMs: number, nowMs: number): boolean {
  const seconds = Math.floor((nowMs - timestampMs) / 1000);
  return Math.abs(Math.trunc(seconds / 60)) > 1;
}

/** Inputs of {@link sealRequestEnvelope}. */
export interface SealRequestEnvelopeInput {
  /** The client secret, 32 raw bytes. */
  readonly secret: Uint8Array;
  /** Client time, epoch milliseconds (a safe integer). */
  readonly timestampMs: number;
  /** 8 random bytes; the server echoes them in the response. */
  readonly nonce: Uint8Array;
  /**
   * The request JSON: an object (serialized with `JSON.stringify`), JSON text or its UTF-8 bytes
   * as-is, or `undefined` for the key endpoints, whose envelope carries no JSON.
   */
  readonly payload?: JsonObject | string | Uint8Array | undefined;
  /** 12 random bytes. */
  readonly iv: Uint8Array;
}

/**
 * Builds a v2 request envelope on the client side: `0x01 ‖ GCM(secret, ts_ms int64 BE ‖ nonce ‖ JSON)`
 * (spec/api.md §3.1). Base64 it for text transport, or send the bytes as `application/octet-stream`.
 *
 * @returns the raw envelope bytes (45 + JSON length)
 * @throws TypeError on a wrong secret, nonce or IV length, or a non-integer timestamp
 */
export function sealRequestEnvelope(input: SealRequestEnvelopeInput): Buffer {
  requireLength(input.nonce, NONCE_BYTES, 'request nonce');
  if (!Number.isSafeInteger(input.timestampMs)) throw new TypeError('timestampMs must be an integer');
  const json = payloadBytes(input.payload);
  const plaintext = Buffer.allocUnsafe(HEADER_BYTES + json.length);
  plaintext.writeBigInt64BE(BigInt(input.timestampMs), 0);
  plaintext.set(input.nonce, 8);
  plaintext.set(json, HEADER_BYTES);
  const out = Buffer.allocUnsafe(1 + GCM_IV_BYTES + plaintext.length + GCM_TAG_BYTES);
  out[0] = REQUEST_ENVELOPE_VERSION;
  gcmSeal(input.secret, plaintext, input.iv, out, 1);
  return out;
}

function payloadBytes(payload: SealRequestEnvelopeInput['payload']): Uint8Array {
  if (payload === undefined) return new Uint8Array(0);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload instanceof Uint8Array) return asBuffer(payload);
  return Buffer.from(JSON.stringify(payload), 'utf8');
}
