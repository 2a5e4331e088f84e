/** How a call is retried: `retries` extra attempts with capped, jittered exponential backoff. */
export interface RetryPolicy {
  /** Extra attempts after the first one (0 = never retry). */
  readonly retries: number;
  /** Backoff before the first retry, in milliseconds; doubles each retry. */
  readonly baseDelayMs: number;
  /** Upper bound of any single backoff, in milliseconds (also caps `Retry-After`). */
  readonly maxDelayMs: number;
}

/** Default policy: 3 retries, 200 ms doubling up to 5 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

/** 429 and every 5xx are transient; every other status (notably 4xx) is final. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Backoff before retry number `retryIndex` (0-based): "equal jitter" — half the exponential delay
 * fixed, half random — so a burst of clients spreads out without ever retrying immediately.
 * A server `Retry-After` raises the delay to at least that value; the result never exceeds
 * `maxDelayMs`.
 *
 * @param jitter01 a uniform random number in [0, 1)
 * @param retryAfterMs parsed `Retry-After`, milliseconds, when the server sent one
 * @returns milliseconds to wait
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  retryIndex: number,
  jitter01: number,
  retryAfterMs?: number,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  const jittered = exponential / 2 + (exponential / 2) * jitter01;
  const delay = retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
  return Math.round(Math.min(policy.maxDelayMs, delay));
}

/**
 * Parses an HTTP `Retry-After` header: delay-seconds or an HTTP date.
 *
 * @param nowMs current time, epoch milliseconds (for the date form)
 * @returns milliseconds to wait, or `undefined` when absent or unparsable
 */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const dateMs = Date.parse(text);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

/** Turns 4 random bytes into a uniform number in [0, 1). */
export function unitInterval(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(0) / 2 ** 32;
}
