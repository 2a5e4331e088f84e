import type { Uid2ClientOptions } from '../uid2-client-options.js';
import { CLIENT_VERSION, globalFetch, systemSleep } from './defaults.js';
import { HttpTransport } from './http-transport.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';

/** The transport of a `Uid2Client`: its options with the documented defaults (30 s timeout, 3 retries). */
export function createTransport(
  options: Uid2ClientOptions,
  now: () => number,
  random: (size: number) => Uint8Array,
): HttpTransport {
  return new HttpTransport({
    baseUrl: options.baseUrl,
    fetch: options.fetch ?? globalFetch,
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: {
      retries: options.retries ?? DEFAULT_RETRY_POLICY.retries,
      baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: options.retryMaxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    },
    now,
    random,
    sleep: options.sleep ?? systemSleep,
    headers: { 'x-uid2-client-version': CLIENT_VERSION },
  });
}
