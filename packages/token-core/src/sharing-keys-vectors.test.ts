import { describe, expect, it } from 'vitest';
import { accessibleKeys } from './accessible-keys.js';
import { encodeAdvertisingTokenV4 } from './encode-advertising-token.js';
import { type KeyRing, createKeyRing } from './key-ring.js';
import { decryptTokenForSdk } from './sdk-decrypt.js';
import { type VectorKey, b64, hex, loadVectors, ofKind, toKey } from './test-support/vectors.js';
import type { IdentityScope, IdentityType } from './types.js';

interface KeysResponseInput {
  callerSiteId: number;
  callerRole: string;
  keysetKeyStore: VectorKey[];
  keysets: {
    keyset_id: number;
    site_id: number;
    enabled: boolean;
    default: boolean;
    allowed_sites: number[] | null;
  }[];
  requestTimestampMs: number;
}
interface KeysResponseExpected {
  responseJson: string;
  sdkParse: {
    keyIds: number[];
    activeMasterKeyIdAt?: { nowMs: number; keyId: number };
    activeDefaultKeysetKeyIdAt?: { nowMs: number; keyId: number };
  };
}
interface ServedTokenInput {
  keysResponse: 'sharing' | 'bidstream';
  masterKeyId: number;
  siteKeyId: number;
  identityScope: IdentityScope;
  identityType: IdentityType;
  rawUidBase64: string;
  fields: {
    expires: number;
    created: number;
    siteId: number;
    privacyBits: number;
    established: number;
    refreshed: number;
  };
  masterIvHex: string;
  siteIvHex: string;
  decryptAtMs: number;
  clientType: 'SHARING' | 'BIDSTREAM';
}
interface ServedTokenExpected {
  token: string;
  tokenHex: string;
  sdkDecrypt: Record<string, unknown>;
}

const vectors = loadVectors('sharing-keys-response.json');
const responses = ofKind<KeysResponseInput, KeysResponseExpected>(vectors, 'keys-response');

function ringOf(input: KeysResponseInput): KeyRing {
  return createKeyRing(
    input.keysetKeyStore.map(toKey),
    input.keysets.map((k) => ({
      keysetId: k.keyset_id,
      siteId: k.site_id,
      allowedSites: k.allowed_sites,
      enabled: k.enabled,
      isDefault: k.default,
    })),
  );
}

function responseFor(kind: 'sharing' | 'bidstream') {
  const found = responses.find(([, v]) =>
    kind === 'sharing' ? v.input.callerRole === 'SHARER' : v.input.callerRole === 'ID_READER',
  );
  if (found === undefined) throw new Error(`no ${kind} keys response`);
  const { input, expected } = found[1];
  const body = (JSON.parse(expected.responseJson) as { body: Record<string, unknown> }).body;
  return {
    input,
    body,
    keys: accessibleKeys(ringOf(input), { siteId: input.callerSiteId, roles: [input.callerRole] }),
  };
}

describe('sharing-keys-response.json', () => {
  it('has only kinds this test understands', () => {
    expect([...new Set(vectors.map((v) => v.kind))].sort()).toEqual([
      'keys-response',
      'token-with-served-keys',
    ]);
  });

  it.each(responses)('accessibleKeys serves the keys of %s', (_title, { input, expected }) => {
    const ring = ringOf(input);
    const keys = accessibleKeys(ring, { siteId: input.callerSiteId, roles: [input.callerRole] });
    expect(keys.map((key) => key.id)).toEqual(expected.sdkParse.keyIds);
    const served = (JSON.parse(expected.responseJson) as { body: { keys: { id: number; secret: string }[] } })
      .body.keys;
    expect(keys.map((key) => Buffer.from(key.secret).toString('base64'))).toEqual(
      served.map((key) => key.secret),
    );
    const { activeMasterKeyIdAt: master, activeDefaultKeysetKeyIdAt: site } = expected.sdkParse;
    if (master !== undefined) expect(ring.masterKey(master.nowMs)?.id).toBe(master.keyId);
    if (site !== undefined) expect(ring.siteKey(input.callerSiteId, site.nowMs)?.id).toBe(site.keyId);
  });

  it.each(ofKind<ServedTokenInput, ServedTokenExpected>(vectors, 'token-with-served-keys'))(
    '%s',
    (_title, { input, expected }) => {
      const { body, keys } = responseFor(input.keysResponse);
      const byId = (id: number) => keys.find((key) => key.id === id)!;
      const token = encodeAdvertisingTokenV4({
        identity: { scope: input.identityScope, type: input.identityType },
        siteId: input.fields.siteId,
        privacyBits: input.fields.privacyBits,
        establishedMs: input.fields.established,
        refreshedMs: input.fields.refreshed,
        createdMs: input.fields.created,
        expiresMs: input.fields.expires,
        rawUid: b64(input.rawUidBase64),
        masterKey: byId(input.masterKeyId),
        siteKey: byId(input.siteKeyId),
        masterIv: hex(input.masterIvHex),
        siteIv: hex(input.siteIvHex),
      });
      expect(token).toBe(expected.token);
      expect(Buffer.from(token, 'base64url').toString('hex')).toBe(expected.tokenHex);
      const maxLifetime =
        body[
          input.clientType === 'SHARING' ? 'max_sharing_lifetime_seconds' : 'max_bidstream_lifetime_seconds'
        ];
      const result = decryptTokenForSdk(token, keys, {
        nowMs: input.decryptAtMs,
        clientType: input.clientType,
        identityScope: body.identity_scope as IdentityScope,
        maxLifetimeSeconds: maxLifetime as number,
        allowClockSkewSeconds: body.allow_clock_skew_seconds as number,
      });
      expect(result).toMatchObject(expected.sdkDecrypt);
    },
  );
});
