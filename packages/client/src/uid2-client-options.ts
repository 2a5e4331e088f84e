import type { ClientSideIdentity } from './client-side-token.js';
import type { FetchLike } from './internal/http-transport.js';

/** Options of {@link Uid2Client}. Only `baseUrl` is required; see each field for its default. */
export interface Uid2ClientOptions {
  /** Operator base URL, e.g. `https://operator.example.com` (a trailing `/` is ignored). */
  readonly baseUrl: string;
  /** API key (`Authorization: Bearer`); needed by every endpoint except refresh and client-generate. */
  readonly apiKey?: string | undefined;
  /** Client secret: base64 text or the 32 raw bytes; needed wherever `apiKey` is. */
  readonly secret?: string | Uint8Array | undefined;
  /** `fetch` implementation (default: the global `fetch` of Node ≥ 20). */
  readonly fetch?: FetchLike | undefined;
  /** Per-attempt timeout in milliseconds (default 30,000). */
  readonly timeoutMs?: number | undefined;
  /** Retries after a 429, 5xx, network error or timeout (default 3; 4xx is never retried). */
  readonly retries?: number | undefined;
  /** First backoff in milliseconds, doubled per retry with jitter (default 200). */
  readonly retryBaseDelayMs?: number | undefined;
  /** Longest single backoff in milliseconds (default 5,000). */
  readonly retryMaxDelayMs?: number | undefined;
  /** Clock, epoch milliseconds (default `Date.now`). */
  readonly now?: (() => number) | undefined;
  /** Random bytes for nonces, IVs, ephemeral keys and jitter (default `crypto.randomBytes`). */
  readonly random?: ((size: number) => Uint8Array) | undefined;
  /** Backoff sleep (default `setTimeout`). */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Send envelopes as raw `application/octet-stream` bytes instead of base64 text (default false). */
  readonly binary?: boolean | undefined;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call (rejects with `ERR_ABORTED`). */
  readonly signal?: AbortSignal | undefined;
}

/** Per-call options of encrypted endpoints. */
export interface EnvelopeCallOptions extends CallOptions {
  /** Overrides the client's `binary` setting for this call. */
  readonly binary?: boolean | undefined;
}

/** Options of {@link Uid2Client.clientSideGenerateToken}. */
export interface ClientSideGenerateOptions extends CallOptions {
  /** `UID2-X-…` public key of the publisher's client-side keypair. */
  readonly serverPublicKey: string;
  readonly subscriptionId: string;
  readonly identity: ClientSideIdentity;
  /** Mobile app name; otherwise the operator checks `origin`. */
  readonly appName?: string | undefined;
  /** `Origin` header to send (a browser sends its page origin), e.g. `https://www.example.com`. */
  readonly origin?: string | undefined;
}
