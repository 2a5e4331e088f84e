import { openResponseEnvelope } from '@uid2-operator/crypto-envelope';
import {
  decryptTokenForSdk,
  type EncryptionKey,
  type Keyset,
  type SdkClientType,
} from '@uid2-operator/token-core';
import { afterAll, describe, expect, it } from 'vitest';
import { RandomPool } from '../lib/random-pool.js';
import { createTestClient, patchTables } from '../test-support/fixture.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { loadVectors, type TestVector } from '../test-support/token-helpers.js';

// test-vectors/sharing-keys-response.json: each `keys-response` vector's key store, keysets and
// sites are loaded into an operator whose clock and IV pool are fixed to the vector's, the vector's
// own request envelope is replayed, and the answer must be the vector's response envelope byte for
// byte (so the decrypted JSON text is identical, field order included). `token-with-served-keys`
// vectors are then decrypted, SDK-style, with the keys this operator served.
interface StoreKey {
  id: number;
  keysetId: number;
  created: number;
  activates: number;
  expires: number;
  secretBase64: string;
}
interface VectorKeyset {
  keyset_id: number;
  site_id: number;
  enabled: boolean;
  default: boolean;
  allowed_sites: number[] | null;
}
interface KeysInput {
  callerSiteId: number;
  callerRole: string;
  keysetKeyStore: StoreKey[];
  keysets: VectorKeyset[];
  sites: { id: number; domain_names: string[] }[];
  clientSecretBase64: string;
  requestTimestampMs: number;
  responseTimestampMs: number;
  responseIvHex: string;
}
interface KeysExpected {
  responseJson: string;
  requestEnvelopeBase64: string;
  responseEnvelopeBase64: string;
  sdkParse: Record<string, unknown>;
}
interface ServedKey {
  id: number;
  activates: number;
  expires: number;
  secret: string;
  keyset_id?: number;
}

/** Hands out the given bytes first (the vector's IVs), then real random bytes. */
class FixedRandom extends RandomPool {
  constructor(private readonly queue: Buffer[]) {
    super(1024);
  }
  override take(length: number): Buffer {
    const next = this.queue.shift();
    if (next !== undefined && next.length === length) return next;
    return super.take(length);
  }
}

const responses = loadVectors('sharing-keys-response.json', 'keys-response');
const tokens = loadVectors('sharing-keys-response.json', 'token-with-served-keys');
const served = new Map<'sharing' | 'bidstream', { body: Record<string, unknown> }>();
const operators: TestOperator[] = [];
afterAll(async () => Promise.all(operators.map((operator) => operator.close())));

function endpointOf(vector: TestVector): 'sharing' | 'bidstream' {
  const match = /\/v2\/key\/(sharing|bidstream)/.exec(vector.title);
  if (match?.[1] !== 'sharing' && match?.[1] !== 'bidstream')
    throw new Error(`unknown endpoint in ${vector.title}`);
  return match[1];
}

/** What the Python SDK reads from a key response (`parse_keys_json`), in the vectors' `sdkParse` names. */
function sdkParse(body: Record<string, unknown>, nowMs: number): Record<string, unknown> {
  const keys = body.keys as ServedKey[];
  const activeIn = (keysetId: unknown) =>
    keys
      .filter(
        (key) => key.keyset_id === keysetId && key.activates * 1000 <= nowMs && nowMs < key.expires * 1000,
      )
      .sort((a, b) => a.activates - b.activates)
      .at(-1)?.id;
  const parsed: Record<string, unknown> = {
    callerSiteId: body.caller_site_id,
    masterKeysetId: body.master_keyset_id,
    defaultKeysetId: body.default_keyset_id,
    tokenExpirySeconds: body.token_expiry_seconds,
    maxSharingLifetimeSeconds: body.max_sharing_lifetime_seconds,
    maxBidstreamLifetimeSeconds: body.max_bidstream_lifetime_seconds,
    identityScope: body.identity_scope,
    allowClockSkewSeconds: body.allow_clock_skew_seconds,
    keyIds: keys.map((key) => key.id),
  };
  if (body.master_keyset_id !== undefined) {
    parsed.activeMasterKeyIdAt = { nowMs, keyId: activeIn(body.master_keyset_id) };
    parsed.activeDefaultKeysetKeyIdAt = { nowMs, keyId: activeIn(body.default_keyset_id) };
  }
  return Object.fromEntries(Object.entries(parsed).filter(([, value]) => value !== undefined));
}

describe('key endpoints against sharing-keys-response.json', () => {
  it('has the vectors this test expects', () => {
    expect(responses).toHaveLength(2);
    expect(tokens).toHaveLength(3);
  });

  for (const vector of responses) {
    it(`answers byte-identically: ${vector.title}`, async () => {
      const input = vector.input as unknown as KeysInput;
      const expected = vector.expected as unknown as KeysExpected;
      const endpoint = endpointOf(vector);
      const client = createTestClient(input.callerSiteId, 'vector', [input.callerRole as 'SHARER'], {
        secretBase64: input.clientSecretBase64,
      });
      const expectedBody = (JSON.parse(expected.responseJson) as { body: Record<string, unknown> }).body;
      const operator = await createTestOperator({
        now: () => input.responseTimestampMs,
        random: new FixedRandom([Buffer.from(input.responseIvHex, 'hex')]),
        // The vector does not state the operator's bidstream setting; its response implies 259200 s.
        config:
          endpoint === 'bidstream'
            ? { maxBidstreamLifetimeSeconds: Number(expectedBody.max_bidstream_lifetime_seconds) - 10 }
            : {},
        prepare: (fixture) =>
          patchTables(fixture, {
            keys: input.keysetKeyStore.map((key): EncryptionKey => ({
              id: key.id,
              keysetId: key.keysetId,
              secret: Buffer.from(key.secretBase64, 'base64'),
              createdSeconds: key.created,
              activatesSeconds: key.activates,
              expiresSeconds: key.expires,
            })),
            keysets: input.keysets.map((keyset): Keyset => ({
              keysetId: keyset.keyset_id,
              siteId: keyset.site_id,
              allowedSites: keyset.allowed_sites,
              enabled: keyset.enabled,
              isDefault: keyset.default,
            })),
            sites: input.sites.map((site) => ({
              id: site.id,
              enabled: true,
              domainNames: site.domain_names,
              appNames: [],
            })),
            apiKeys: [client.record],
          }),
      });
      operators.push(operator);
      const response = await operator.app.inject({
        method: 'POST',
        url: `/v2/key/${endpoint}`,
        headers: { authorization: `Bearer ${client.key}`, 'content-type': 'text/plain' },
        payload: expected.requestEnvelopeBase64,
      });
      expect(response.statusCode).toBe(200);
      const opened = openResponseEnvelope({
        secret: Buffer.from(input.clientSecretBase64, 'base64'),
        envelope: response.body,
      });
      expect(opened.json.toString('utf8')).toBe(expected.responseJson);
      expect(response.body).toBe(expected.responseEnvelopeBase64);
      const body = (JSON.parse(opened.json.toString('utf8')) as { body: Record<string, unknown> }).body;
      expect(sdkParse(body, input.requestTimestampMs)).toEqual(expected.sdkParse);
      served.set(endpoint, { body });
    });
  }

  for (const vector of tokens) {
    it(`serves keys that decrypt: ${vector.title}`, () => {
      const input = vector.input as {
        keysResponse: 'sharing' | 'bidstream';
        decryptAtMs: number;
        clientType: SdkClientType;
      };
      const response = served.get(input.keysResponse);
      if (response === undefined) throw new Error('the keys-response vectors must run first');
      const body = response.body;
      const keys = (body.keys as ServedKey[]).map((key) => ({
        id: key.id,
        secret: Buffer.from(key.secret, 'base64'),
        expiresSeconds: key.expires,
      }));
      const maxLifetime = body.max_sharing_lifetime_seconds ?? body.max_bidstream_lifetime_seconds;
      const result = decryptTokenForSdk(String(vector.expected.token), keys, {
        nowMs: input.decryptAtMs,
        clientType: input.clientType,
        identityScope: body.identity_scope as 'UID2',
        maxLifetimeSeconds: typeof maxLifetime === 'number' ? maxLifetime : null,
        allowClockSkewSeconds: Number(body.allow_clock_skew_seconds),
      });
      expect(result).toMatchObject(vector.expected.sdkDecrypt as Record<string, unknown>);
    });
  }
});
