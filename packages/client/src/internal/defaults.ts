import { randomBytes } from 'node:crypto';

// The only place the client reaches for the clock, global randomness and timers: every one of
// them can be replaced through the Uid2Client options (tests pass fixed values).

/** Default clock: epoch milliseconds. */
export const systemNow = (): number => Date.now();

/** Default randomness: `crypto.randomBytes`. */
export const systemRandom = (size: number): Uint8Array => randomBytes(size);

/** Default backoff sleep. */
export const systemSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** The global `fetch` of Node ≥ 18 (undici). */
export const globalFetch = (url: string, init: RequestInit): Promise<Response> => fetch(url, init);

/** Version string sent as `X-UID2-Client-Version`. */
export const CLIENT_VERSION = 'uid2-client-typescript-0.1.0';
