import { createCstgServerKey, parsePrefixedKey, type CstgServerKey } from '@uid2-operator/crypto-envelope';

/** A client-side token generation keypair as stored (prefixed key strings, spec/internals.md §5.2). */
export interface CstgKeypairRecord {
  readonly subscriptionId: string;
  readonly siteId: number;
  /** `UID2-X-L-<base64 SPKI>`. */
  readonly publicKey: string;
  /** `UID2-Y-L-<base64 PKCS#8>`. */
  readonly privateKey: string;
  readonly disabled: boolean;
}

/** A keypair ready for requests: the private key is prepared once for fast ECDH. */
export interface CstgKeypair {
  readonly subscriptionId: string;
  readonly siteId: number;
  readonly disabled: boolean;
  readonly serverKey: CstgServerKey | undefined;
}

/**
 * CSTG keypairs by subscription id. A stored private key that does not parse yields a keypair
 * whose requests fail with a 500 `unknown`, as an unusable key would in the reference.
 */
export class CstgKeypairs {
  private readonly bySubscription = new Map<string, CstgKeypair>();

  constructor(records: readonly CstgKeypairRecord[]) {
    for (const record of records) {
      let serverKey: CstgServerKey | undefined;
      try {
        serverKey = createCstgServerKey(parsePrefixedKey(record.privateKey).der);
      } catch {
        serverKey = undefined;
      }
      this.bySubscription.set(record.subscriptionId, {
        subscriptionId: record.subscriptionId,
        siteId: record.siteId,
        disabled: record.disabled,
        serverKey,
      });
    }
  }

  /** The keypair of `subscriptionId`, or `undefined`. */
  get(subscriptionId: string): CstgKeypair | undefined {
    return this.bySubscription.get(subscriptionId);
  }

  /** Number of keypairs. */
  get size(): number {
    return this.bySubscription.size;
  }
}
