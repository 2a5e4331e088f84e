import { KeyStore } from './key-store.js';
import { type DecryptionResult, NOT_INITIALIZED, decryptWithSnapshot } from './local-token.js';
import { systemNow } from './internal/defaults.js';
import type { Uid2Client } from './uid2-client.js';

/** Options of {@link BidstreamClient} and {@link SharingClient}. */
export interface KeyClientOptions {
  /** A client whose API key has the needed role (ID_READER for bidstream; SHARER or ID_READER for sharing). */
  readonly client: Uid2Client;
  /** Background refresh period in milliseconds (the SDKs use one hour); omit to call `refresh()` yourself. */
  readonly refreshIntervalMs?: number | undefined;
  /** Called when a background refresh fails. */
  readonly onRefreshError?: ((error: unknown) => void) | undefined;
  /** Clock, epoch milliseconds (default `Date.now`). */
  readonly now?: (() => number) | undefined;
}

/**
 * DSP side: downloads keys from `/v2/key/bidstream` (spec/api.md §9.2) and decrypts advertising
 * tokens from bid requests locally into raw UID2s, with the bidstream lifetime rules and the domain
 * check for client-side generated tokens.
 */
export class BidstreamClient {
  /** The key store (refresh, auto-refresh, current snapshot). */
  readonly keys: KeyStore;
  readonly #now: () => number;

  constructor(options: KeyClientOptions) {
    this.#now = options.now ?? systemNow;
    this.keys = new KeyStore({
      fetchKeys: () => options.client.keyBidstream(),
      refreshIntervalMs: options.refreshIntervalMs,
      onRefreshError: options.onRefreshError,
    });
  }

  /** Downloads the keys now. @throws Uid2ClientError (the previous keys stay in use) */
  async refresh(): Promise<void> {
    await this.keys.refresh();
  }

  /**
   * Decrypts an advertising token into its raw UID2 (`result.uid`, base64). Never throws: failures
   * are statuses (`NOT_INITIALIZED` before the first refresh, `EXPIRED_TOKEN`, …).
   * @param domainOrAppName where the ad request came from; required for client-side generated tokens
   */
  decryptToken(advertisingToken: string, domainOrAppName?: string): DecryptionResult {
    const snapshot = this.keys.snapshot;
    if (snapshot === undefined) return NOT_INITIALIZED;
    return decryptWithSnapshot(snapshot, advertisingToken, this.#now(), domainOrAppName);
  }

  /** Stops the background refresh. */
  close(): void {
    this.keys.stop();
  }
}
