import type { ApiClient, Role } from '../state/api-keys.js';

/** How the UID2 pipeline treats a route (spec/api.md §1, §2.1). */
export interface Uid2RouteConfig {
  /** `required`: 401 without a valid key holding one of `roles`; `optional`: identify if possible. */
  readonly auth: 'required' | 'optional' | 'none';
  /** Roles any one of which grants access (spec/internals.md §5.1). */
  readonly roles?: readonly Role[];
  /** Request and 200 response use the v2 envelope of spec/api.md §3.1-3.2. */
  readonly encrypted: boolean;
  /**
   * The handler opens the envelope itself (`openEncryptedRequest`) or hands the whole request to a
   * worker thread that answers it sealed; the envelope hooks then leave it alone unless the
   * handler sets `request.seal`.
   */
  readonly openInHandler?: boolean;
  /** Metric label for the route, e.g. `token_generate`. */
  readonly metric: string;
  /**
   * Message of the 500 `{"status":"unknown"}` answer for an unexpected failure (spec/api.md §2.5);
   * without it the route answers the reference's plain-text `Internal Server Error`.
   */
  readonly unknownErrorMessage?: string;
}

/** How a 200 response body is encrypted before it leaves (spec/api.md §3.2-3.4). */
export type ResponseSeal =
  | {
      readonly kind: 'envelope';
      readonly secret: Uint8Array;
      readonly nonce: Buffer;
      readonly binary: boolean;
    }
  | { readonly kind: 'refresh'; readonly key: Uint8Array; readonly binary: boolean }
  | { readonly kind: 'cstg'; readonly key: Uint8Array };

/** The opened request envelope a handler sees. */
export interface OpenedEnvelope {
  /** Client timestamp, epoch ms. */
  readonly timestampMs: number;
  readonly nonce: Buffer;
  /** The JSON object after the nonce, or `null` when the envelope carried no JSON. */
  readonly payload: Record<string, unknown> | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    uid2?: Uid2RouteConfig;
  }
  interface FastifyRequest {
    /** The route's UID2 config, set by a route-level hook (see `registerRouteContext`). */
    uid2Route: Uid2RouteConfig | undefined;
    /** The authenticated API client (set by the auth hook). */
    client: ApiClient | undefined;
    /** The opened envelope (encrypted routes only). */
    envelope: OpenedEnvelope | undefined;
    /** Set by a handler or the envelope hook: how to encrypt a 200 answer. */
    seal: ResponseSeal | undefined;
  }
}
