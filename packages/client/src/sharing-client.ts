import { KeyStore } from './key-store.js';
import {
  type DecryptionResult,
  type EncryptionResult,
  NOT_INITIALIZED,
  decryptWithSnapshot,
  encryptWithSnapshot,
} from './local-token.js';
import { systemNow, systemRandom } from './internal/defaults.js';
import type { KeyClientOptions } from './bidstream-client.js';

/** Options of {@link SharingClient}: those of the bidstream client plus randomness for IVs. */
export interface SharingClientOptions extends KeyClientOptions {
  /** Random bytes for the two token IVs (default `crypto.randomBytes`). */
  readonly random?: ((size: number) => Uint8Array) | undefined;
}

/**
 * Sharing participants: downloads keys from `/v2/key/sharing` (spec/api.md §9.1), encrypts raw
 * UID2s into tokens for other participants and decrypts the tokens they send, with the sharing
 * lifetime rules.
 */
export class SharingClient {
  /** The key store (refresh, auto-refresh, current snapshot). */
  readonly keys: KeyStore;
  readonly #now: () => number;
  readonly #random: (size: number) => Uint8Array;

  constructor(options: SharingClientOptions) {
    this.#now = options.now ?? systemNow;
    this.#random = options.random ?? systemRandom;
    this.keys = new KeyStore({
      fetchKeys: () => options.client.keySharing(),
      refreshIntervalMs: options.refreshIntervalMs,
      onRefreshError: options.onRefreshError,
    });
  }

  /** Downloads the keys now. @throws Uid2ClientError (the previous keys stay in use) */
  async refresh(): Promise<void> {
    await this.keys.refresh();
  }

  /**
   * Encrypts a raw UID2 (base64) into a V4 token that other sharing participants can decrypt.
   * Never throws: failures are statuses (`NOT_INITIALIZED`, `NOT_AUTHORIZED_FOR_KEY` when the API
   * key's site has no default keyset, `INVALID_RAW_UID`, …).
   */
  encryptRawUid(rawUid: string): EncryptionResult {
    const snapshot = this.keys.snapshot;
    if (snapshot === undefined) return { status: 'NOT_INITIALIZED', token: null };
    return encryptWithSnapshot(snapshot, {
      rawUid,
      nowMs: this.#now(),
      masterIv: this.#random(12),
      siteIv: this.#random(12),
    });
  }

  /** Decrypts a shared token into its raw UID2. Never throws. */
  decryptToken(token: string): DecryptionResult {
    const snapshot = this.keys.snapshot;
    if (snapshot === undefined) return NOT_INITIALIZED;
    return decryptWithSnapshot(snapshot, token, this.#now());
  }

  /** Stops the background refresh. */
  close(): void {
    this.keys.stop();
  }
}
