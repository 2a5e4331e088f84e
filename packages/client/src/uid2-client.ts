import { createClientSideTokenRequest } from './client-side-token.js';
import type { KeysResponse, ServedKey } from './keys-response.js';
import { systemNow, systemRandom } from './internal/defaults.js';
import { createTransport } from './internal/create-transport.js';
import { type EncryptedCallContext, encryptedCall } from './internal/encrypted-call.js';
import type { HttpTransport } from './internal/http-transport.js';
import { clientSideCall, refreshCall } from './internal/plain-calls.js';
import { type MapBatchOptions, mapInBatches } from './internal/identity-map-v3.js';
import { keyFromWire, keysResponseFromWire } from './internal/keys-wire.js';
import { decodeKey } from './internal/response-body.js';
import { bucketsFromWire, generateResult, mapV2FromWire, optOutFromWire } from './internal/results-wire.js';
import { inSlices } from './internal/run-pool.js';
import {
  type WireObject,
  asArray,
  diiToWire,
  mapInputToWire,
  statusOf,
  successBody,
  unexpectedStatus,
} from './internal/wire.js';
import type {
  DiiInput,
  IdentityMapV2Input,
  IdentityMapV2Result,
  IdentityMapV3Input,
  IdentityMapV3Result,
  IdentityTokens,
  OptOutStatus,
  SaltBucketUpdate,
  TokenGenerateResult,
  TokenRefreshResult,
} from './types.js';
import type {
  ClientSideGenerateOptions,
  EnvelopeCallOptions,
  Uid2ClientOptions,
} from './uid2-client-options.js';

/** Largest `advertising_ids` list `/v2/optout/status` accepts (spec/api.md §8). */
export const MAX_OPTOUT_STATUS_BATCH = 5_000;

/**
 * A typed client for a UID2 operator: every endpoint of spec/api.md §1, with the v2 envelope
 * (spec/api.md §3), nonce check, retries with jittered exponential backoff on 429/5xx/network
 * errors, per-request timeouts and {@link Uid2ClientError} failures.
 */
export class Uid2Client {
  readonly #transport: HttpTransport;
  readonly #context: EncryptedCallContext | undefined;
  readonly #apiKey: string | undefined;
  readonly #binary: boolean;
  readonly #now: () => number;
  readonly #random: (size: number) => Uint8Array;

  /** @throws TypeError when `secret` is not base64 of 32 bytes, or only one of `apiKey`/`secret` is given */
  constructor(options: Uid2ClientOptions) {
    this.#now = options.now ?? systemNow;
    this.#random = options.random ?? systemRandom;
    this.#binary = options.binary ?? false;
    this.#apiKey = options.apiKey;
    this.#transport = createTransport(options, this.#now, this.#random);
    if ((options.apiKey === undefined) !== (options.secret === undefined)) {
      throw new TypeError('apiKey and secret go together');
    }
    if (options.apiKey !== undefined && options.secret !== undefined) {
      this.#context = {
        transport: this.#transport,
        apiKey: options.apiKey,
        secret: decodeKey(options.secret, 'secret'),
        now: this.#now,
        random: this.#random,
      };
    }
  }

  /**
   * `POST /v2/token/generate` (role GENERATOR, spec/api.md §6.1).
   * @param options.tcfConsentString EUID only: the TCF consent string
   * @throws Uid2ClientError e.g. `ERR_BAD_REQUEST` with uid2Status `client_error` for an invalid identifier
   */
  async generateToken(
    dii: DiiInput,
    options: EnvelopeCallOptions & { readonly tcfConsentString?: string | undefined } = {},
  ): Promise<TokenGenerateResult> {
    const { field, value } = diiToWire(dii);
    const payload: Record<string, string> = { [field]: value };
    if (options.tcfConsentString !== undefined) payload['tcf_consent_string'] = options.tcfConsentString;
    return generateResult(await this.#call('/v2/token/generate', payload, options));
  }

  /**
   * `POST /v2/token/refresh` (no API key needed, spec/api.md §6.2): sends the 388-char refresh
   * token and decrypts the answer with `refreshResponseKey` (§3.3). An unencrypted JSON answer
   * (the operator's legacy path for tokens of another length) is read as is.
   *
   * @throws Uid2ClientError `ERR_BAD_REQUEST` with uid2Status `expired_token`, `invalid_token` or
   *   `error` (expired or invalid token), `ERR_RESPONSE_DECRYPT` (wrong response key)
   * @throws TypeError when `refreshResponseKey` is not base64 of 32 bytes
   */
  async refreshToken(
    tokens: Pick<IdentityTokens, 'refreshToken' | 'refreshResponseKey'>,
    options: EnvelopeCallOptions = {},
  ): Promise<TokenRefreshResult> {
    return refreshCall(this.#transport, this.#apiKey, tokens, {
      binary: options.binary ?? this.#binary,
      signal: options.signal,
    });
  }

  /**
   * `POST /v2/token/validate` (role GENERATOR, spec/api.md §6.3).
   * @returns whether `advertisingToken` holds the raw UID2 of `dii`
   */
  async validateToken(
    advertisingToken: string,
    dii: DiiInput,
    options: EnvelopeCallOptions = {},
  ): Promise<boolean> {
    const { field, value } = diiToWire(dii);
    const { status, body } = statusOf(
      await this.#call('/v2/token/validate', { token: advertisingToken, [field]: value }, options),
    );
    if (status !== 'success') unexpectedStatus(status);
    return typeof body === 'boolean' ? body : unexpectedStatus('success without a boolean body');
  }

  /** `POST /v2/token/logout` (internal, role OPTOUT, spec/api.md §10.1): records an opt-out. */
  async logout(
    dii: DiiInput,
    options: EnvelopeCallOptions & { readonly clientIp?: string | undefined } = {},
  ): Promise<void> {
    const { field, value } = diiToWire(dii);
    const payload: Record<string, string> = { [field]: value };
    if (options.clientIp !== undefined) payload['clientIp'] = options.clientIp;
    const { status } = statusOf(await this.#call('/v2/token/logout', payload, options));
    if (status !== 'success') unexpectedStatus(status);
  }

  /**
   * `POST /v2/token/client-generate` (no API key, spec/api.md §6.4), built like the JS web SDK
   * ({@link createClientSideTokenRequest}) with a fresh ephemeral key, IV and timestamp.
   * @throws Uid2ClientError `ERR_FORBIDDEN` (origin or app name refused), `ERR_BAD_REQUEST`, …
   */
  async clientSideGenerateToken(options: ClientSideGenerateOptions): Promise<TokenGenerateResult> {
    const request = createClientSideTokenRequest({
      serverPublicKey: options.serverPublicKey,
      subscriptionId: options.subscriptionId,
      identity: options.identity,
      appName: options.appName,
      timestampMs: Math.trunc(this.#now()),
      clientPrivateKey: this.#random(32),
      iv: this.#random(12),
    });
    return clientSideCall(this.#transport, request, options.origin, options.signal);
  }

  /** `POST /v2/identity/map` (role MAPPER, spec/api.md §7.1): one identifier type per request. */
  async identityMapV2(
    input: IdentityMapV2Input,
    options: EnvelopeCallOptions = {},
  ): Promise<IdentityMapV2Result> {
    return mapV2FromWire(successBody(await this.#call('/v2/identity/map', mapInputToWire(input), options)));
  }

  /**
   * `POST /v3/identity/map` (role MAPPER, spec/api.md §7.2) in batches of at most 5,000
   * identifiers, `concurrency` requests at a time (default 4); results come back index-aligned
   * with the input arrays.
   */
  async identityMapV3(
    input: IdentityMapV3Input,
    options: EnvelopeCallOptions & MapBatchOptions = {},
  ): Promise<IdentityMapV3Result> {
    return mapInBatches(
      input,
      async (payload) => successBody(await this.#call('/v3/identity/map', payload, options)),
      options,
    );
  }

  /**
   * `POST /v2/identity/buckets` (role MAPPER, spec/api.md §7.3): buckets rotated at or after `since`.
   * @param since a `Date`, epoch milliseconds, or the operator's text form `yyyy-MM-ddTHH:mm:ss` (UTC)
   */
  async identityBuckets(
    since: Date | number | string,
    options: EnvelopeCallOptions = {},
  ): Promise<SaltBucketUpdate[]> {
    const text = typeof since === 'string' ? since : new Date(since).toISOString().slice(0, 23);
    return bucketsFromWire(
      successBody(await this.#call('/v2/identity/buckets', { since_timestamp: text }, options)),
    );
  }

  /**
   * `POST /v2/optout/status` (roles MAPPER, SHARER, ID_READER; spec/api.md §8), split into
   * requests of 5,000 ids. Returns only the opted-out ids, in input order.
   */
  async optoutStatus(
    advertisingIds: readonly string[],
    options: EnvelopeCallOptions & { readonly concurrency?: number | undefined } = {},
  ): Promise<OptOutStatus[]> {
    return inSlices(advertisingIds, MAX_OPTOUT_STATUS_BATCH, options.concurrency ?? 4, async (ids) =>
      optOutFromWire(successBody(await this.#call('/v2/optout/status', { advertising_ids: ids }, options))),
    );
  }

  /** `POST /v2/key/sharing` (roles SHARER, ID_READER; spec/api.md §9.1). */
  async keySharing(options: EnvelopeCallOptions = {}): Promise<KeysResponse> {
    return keysResponseFromWire(
      successBody(await this.#call('/v2/key/sharing', undefined, options)),
      'sharing',
    );
  }

  /** `POST /v2/key/bidstream` (role ID_READER; spec/api.md §9.2). */
  async keyBidstream(options: EnvelopeCallOptions = {}): Promise<KeysResponse> {
    return keysResponseFromWire(
      successBody(await this.#call('/v2/key/bidstream', undefined, options)),
      'bidstream',
    );
  }

  /** `POST /v2/key/latest` (legacy, role ID_READER; spec/api.md §9.3): keys with their `siteId`. */
  async keyLatest(options: EnvelopeCallOptions = {}): Promise<ServedKey[]> {
    return asArray(successBody(await this.#call('/v2/key/latest', undefined, options)), 'body').map(
      keyFromWire,
    );
  }

  /**
   * Any encrypted endpoint, for paths or fields this client does not model. `payload` may be
   * pre-serialized JSON text (sent byte for byte).
   * @returns the decrypted response object `{"status":…, "body":…}`
   */
  async call(
    path: string,
    payload?: Record<string, unknown> | string,
    options: EnvelopeCallOptions = {},
  ): Promise<WireObject> {
    return this.#call(path, payload, options);
  }

  #call(
    path: string,
    payload: Record<string, unknown> | string | undefined,
    options: EnvelopeCallOptions,
  ): Promise<WireObject> {
    if (this.#context === undefined) throw new TypeError(`${path} needs apiKey and secret`);
    return encryptedCall(this.#context, {
      path,
      payload,
      binary: options.binary ?? this.#binary,
      signal: options.signal,
    });
  }
}
