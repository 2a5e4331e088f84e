import { Uid2ClientError, codeForHttpStatus } from '../uid2-client-error.js';
import {
  type RetryPolicy,
  backoffDelayMs,
  isRetryableStatus,
  parseRetryAfterMs,
  unitInterval,
} from './retry-policy.js';

/** The `fetch` signature the client needs (the global one of Node ≥ 20, or a test double). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Fixed settings of an {@link HttpTransport}. */
export interface HttpTransportOptions {
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  /** Per-attempt timeout, milliseconds (covers connecting, headers and reading the body). */
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly now: () => number;
  readonly random: (size: number) => Uint8Array;
  readonly sleep: (ms: number) => Promise<void>;
  /** Sent on every request (e.g. `X-UID2-Client-Version`). */
  readonly headers: Readonly<Record<string, string>>;
}

/** One POST. `body` is called again for every attempt, so envelopes get a fresh timestamp and nonce. */
export interface HttpRequest {
  readonly path: string;
  readonly body: () => string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
}

/** A 2xx response, body fully read. */
export interface HttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
  readonly attempts: number;
}

type AttemptResult =
  | { readonly kind: 'response'; readonly response: Response; readonly body: Buffer }
  | { readonly kind: 'failure'; readonly code: 'ERR_NETWORK' | 'ERR_TIMEOUT'; readonly cause: unknown };

const MAX_SERVER_MESSAGE = 300;

/**
 * POSTs with a per-attempt timeout (AbortController) and retries with jittered exponential
 * backoff on 429, 5xx, network errors and timeouts — never on other statuses.
 */
export class HttpTransport {
  readonly #options: HttpTransportOptions;
  readonly #baseUrl: string;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * @throws Uid2ClientError `ERR_ABORTED`, `ERR_NETWORK`, `ERR_TIMEOUT`, or the code of the final
   *   non-2xx status ({@link codeForHttpStatus}) with the operator's `status` and `message`
   */
  async post(request: HttpRequest): Promise<HttpResponse> {
    const { retry } = this.#options;
    for (let attempt = 1; ; attempt++) {
      if (isAborted(request.signal)) throw new Uid2ClientError('ERR_ABORTED', { attempts: attempt - 1 });
      const result = await this.#attempt(request);
      let retryAfterMs: number | undefined;
      if (result.kind === 'response') {
        const { response, body } = result;
        if (response.ok) {
          const contentType = response.headers.get('content-type') ?? '';
          return { status: response.status, contentType, body, attempts: attempt };
        }
        if (!isRetryableStatus(response.status) || attempt > retry.retries) {
          throw errorFromResponse(response.status, body, attempt);
        }
        retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), this.#options.now());
      } else {
        if (isAborted(request.signal)) throw new Uid2ClientError('ERR_ABORTED', { attempts: attempt });
        if (attempt > retry.retries) {
          throw new Uid2ClientError(result.code, { attempts: attempt, cause: result.cause });
        }
      }
      const jitter = unitInterval(this.#options.random(4));
      await this.#options.sleep(backoffDelayMs(retry, attempt - 1, jitter, retryAfterMs));
    }
  }

  async #attempt(request: HttpRequest): Promise<AttemptResult> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#options.timeoutMs);
    const onCallerAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const body = request.body();
      const response = await this.#options.fetch(this.#baseUrl + request.path, {
        method: 'POST',
        headers: { ...this.#options.headers, ...request.headers },
        body,
        signal: controller.signal,
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      return { kind: 'response', response, body: bytes };
    } catch (cause) {
      return { kind: 'failure', code: timedOut ? 'ERR_TIMEOUT' : 'ERR_NETWORK', cause };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * Builds the error of a final non-2xx answer. Operator error bodies are unencrypted JSON
 * `{"status","message"}` (spec/api.md §2.5); plain-text and HTML bodies become a short message.
 */
export function errorFromResponse(httpStatus: number, body: Buffer, attempts: number): Uid2ClientError {
  const text = body.toString('utf8');
  let uid2Status: string | undefined;
  let serverMessage: string | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) {
      const { status, message } = parsed as { status?: unknown; message?: unknown };
      if (typeof status === 'string') uid2Status = status;
      if (typeof message === 'string') serverMessage = message;
    }
  } catch {
    const plain = text
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (plain !== '') serverMessage = plain.slice(0, MAX_SERVER_MESSAGE);
  }
  return new Uid2ClientError(codeForHttpStatus(httpStatus), {
    httpStatus,
    uid2Status,
    serverMessage,
    attempts,
  });
}
