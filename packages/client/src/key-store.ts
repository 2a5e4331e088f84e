import { KeySnapshot } from './key-snapshot.js';
import type { KeysResponse } from './keys-response.js';

/** Options of {@link KeyStore}. */
export interface KeyStoreOptions {
  /** Downloads the current keys (e.g. `() => client.keyBidstream()`). */
  readonly fetchKeys: () => Promise<KeysResponse>;
  /**
   * Refresh every this many milliseconds in the background (an unref'd timer: it never keeps
   * the process alive). Omit to refresh only through {@link KeyStore.refresh}.
   */
  readonly refreshIntervalMs?: number | undefined;
  /** Called when a background refresh fails (the previous keys stay in use). */
  readonly onRefreshError?: ((error: unknown) => void) | undefined;
}

/**
 * Holds the keys of `/v2/key/bidstream` or `/v2/key/sharing` (spec/api.md §9) as an immutable
 * {@link KeySnapshot}, replaced atomically on each refresh. The SDKs refresh hourly; a failed
 * refresh keeps the last good keys.
 */
export class KeyStore {
  readonly #fetchKeys: () => Promise<KeysResponse>;
  readonly #onRefreshError: (error: unknown) => void;
  #snapshot: KeySnapshot | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<KeySnapshot> | undefined;

  constructor(options: KeyStoreOptions) {
    this.#fetchKeys = options.fetchKeys;
    this.#onRefreshError = options.onRefreshError ?? (() => undefined);
    if (options.refreshIntervalMs !== undefined) this.startAutoRefresh(options.refreshIntervalMs);
  }

  /** The current keys, or `undefined` before the first successful refresh. */
  get snapshot(): KeySnapshot | undefined {
    return this.#snapshot;
  }

  /**
   * Downloads the keys now and swaps them in. Concurrent calls share one download.
   * @throws Uid2ClientError from the download (the previous keys stay in use)
   */
  refresh(): Promise<KeySnapshot> {
    this.#inFlight ??= this.#fetchKeys()
      .then((response) => {
        this.#snapshot = new KeySnapshot(response);
        return this.#snapshot;
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /** Uses a key response obtained elsewhere (tests, a shared cache). */
  load(response: KeysResponse): KeySnapshot {
    this.#snapshot = new KeySnapshot(response);
    return this.#snapshot;
  }

  /**
   * Refreshes every `intervalMs` milliseconds until {@link stop}; errors go to `onRefreshError`.
   * @throws TypeError when `intervalMs` is not a positive number
   */
  startAutoRefresh(intervalMs: number): void {
    if (!(Number.isFinite(intervalMs) && intervalMs > 0))
      throw new TypeError('refreshIntervalMs must be positive');
    this.stop();
    this.#timer = setInterval(() => {
      this.refresh().catch(this.#onRefreshError);
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the background refresh (the keys stay usable). */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
