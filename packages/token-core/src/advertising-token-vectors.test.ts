import { createDecipheriv } from 'node:crypto';
import { decodeBase64UrlStrict, gcmDecrypt } from '@uid2-operator/crypto-envelope';
import { describe, expect, it } from 'vitest';
import { decodeAdvertisingToken } from './decode-advertising-token.js';
import { encodeAdvertisingTokenBytes, encodeAdvertisingTokenV4 } from './encode-advertising-token.js';
import { type SdkDecryptContext, decryptTokenForSdk } from './sdk-decrypt.js';
import { encodeAdvertisingTokenV2 } from './test-support/legacy-v2.js';
import { type VectorKey, b64, hex, loadVectors, lookup, ofKind, toKey } from './test-support/vectors.js';
import type { IdentityScope, IdentityType } from './types.js';

interface Fields {
  operatorSiteId: number;
  operatorType: number;
  operatorVersion: number;
  operatorKeyId: number;
  expires: number;
  created: number;
  siteId: number;
  publisherId: number;
  clientKeyId: number;
  privacyBits: number;
  established: number;
  refreshed: number;
}
interface TokenInput {
  tokenVersion?: 2 | 3 | 4;
  identityScope?: IdentityScope;
  identityType?: IdentityType;
  rawUidBase64?: string;
  token?: string;
  masterKey: VectorKey;
  siteKey: VectorKey;
  fields?: Fields;
  masterIvHex?: string;
  siteIvHex?: string;
  decryptContext: SdkDecryptContext;
}
interface TokenExpected {
  token?: string;
  tokenHex?: string;
  tokenLengthBytes: number;
  tokenLengthChars?: number;
  identityByte?: number;
  versionByte?: number;
  masterPayloadPlaintextHex?: string;
  sitePayloadPlaintextHex?: string;
  masterPlaintextHex?: string;
  sitePlaintextHex?: string;
  decoded?: Fields & {
    identityByte: number;
    versionByte: number;
    masterKeyId: number;
    siteKeyId: number;
    rawUidBase64: string;
  };
  sdkDecrypt: Record<string, unknown>;
}

const vectors = loadVectors('advertising-token-v4.json');

function encodeInput(input: TokenInput) {
  const fields = input.fields!;
  return {
    identity: { scope: input.identityScope!, type: input.identityType! },
    siteId: fields.siteId,
    privacyBits: fields.privacyBits,
    establishedMs: fields.established,
    refreshedMs: fields.refreshed,
    createdMs: fields.created,
    expiresMs: fields.expires,
    rawUid: b64(input.rawUidBase64!),
    masterKey: toKey(input.masterKey),
    siteKey: toKey(input.siteKey),
    masterIv: hex(input.masterIvHex!),
    siteIv: hex(input.siteIvHex!),
  };
}

function sdkDecrypt(token: string, input: TokenInput) {
  return decryptTokenForSdk(token, [toKey(input.masterKey), toKey(input.siteKey)], input.decryptContext);
}

/** Decodes with the operator decoder and checks every field the vector states. */
function expectDecoded(token: string, input: TokenInput, fields: Fields, rawUidBase64: string) {
  const decoded = decodeAdvertisingToken(token, lookup([toKey(input.masterKey), toKey(input.siteKey)]));
  expect(decoded).toMatchObject({
    masterKeyId: input.masterKey.id,
    siteKeyId: input.siteKey.id,
    expiresMs: fields.expires,
    createdMs: fields.created,
    operator: {
      siteId: fields.operatorSiteId,
      type: fields.operatorType,
      version: fields.operatorVersion,
      keyId: fields.operatorKeyId,
    },
    siteId: fields.siteId,
    publisherId: fields.publisherId,
    clientKeyId: fields.clientKeyId,
    privacyBits: fields.privacyBits,
    establishedMs: fields.established,
    refreshedMs: fields.refreshed,
  });
  expect(decoded.rawUid.toString('base64')).toBe(rawUidBase64);
  return decoded;
}

function expectPayloads(tokenBytes: Buffer, input: TokenInput, expected: TokenExpected) {
  const master = gcmDecrypt(b64(input.masterKey.secretBase64), tokenBytes.subarray(6));
  expect(master.toString('hex')).toBe(expected.masterPayloadPlaintextHex);
  const site = gcmDecrypt(b64(input.siteKey.secretBase64), master.subarray(33));
  expect(site.toString('hex')).toBe(expected.sitePayloadPlaintextHex);
}

describe('advertising-token-v4.json', () => {
  it('has only kinds this test understands', () => {
    expect([...new Set(vectors.map((v) => v.kind))].sort()).toEqual([
      'base64url',
      'decode-only',
      'decrypt-status',
      'encode',
    ]);
  });

  it.each([
    ...ofKind<TokenInput, TokenExpected>(vectors, 'encode'),
    ...ofKind<TokenInput, TokenExpected>(vectors, 'decrypt-status'),
  ])('%s', (_title, { input, expected }) => {
    const token = encodeAdvertisingTokenV4(encodeInput(input));
    expect(token).toBe(expected.token);
    expect(token).toHaveLength(expected.tokenLengthChars!);
    const bytes = Buffer.from(token, 'base64url');
    expect(bytes.toString('hex')).toBe(expected.tokenHex);
    expect([bytes[0], bytes[1]]).toEqual([expected.identityByte, expected.versionByte]);
    expectPayloads(bytes, input, expected);
    const decoded = expectDecoded(token, input, input.fields!, input.rawUidBase64!);
    expect([decoded.version, decoded.identityScope, decoded.identityType]).toEqual([
      4,
      input.identityScope,
      input.identityType,
    ]);
    expect(sdkDecrypt(token, input)).toMatchObject(expected.sdkDecrypt);
  });

  const decodeOnly = ofKind<TokenInput, TokenExpected>(vectors, 'decode-only');

  it.each(decodeOnly.filter(([, v]) => v.input.tokenVersion === 3))('%s', (_title, { input, expected }) => {
    const token = expected.token!;
    expect(encodeAdvertisingTokenBytes(encodeInput(input), 3).toString('base64')).toBe(token);
    expectPayloads(b64(token), input, expected);
    const decoded = expectDecoded(token, input, input.fields!, input.rawUidBase64!);
    expect([decoded.version, decoded.identityScope, decoded.identityType]).toEqual([
      3,
      input.identityScope,
      input.identityType,
    ]);
    expect(sdkDecrypt(token, input)).toMatchObject(expected.sdkDecrypt);
  });

  it.each(decodeOnly.filter(([, v]) => v.input.token !== undefined))('%s', (_title, { input, expected }) => {
    const token = input.token!;
    const bytes = decodeBase64UrlStrict(token)!;
    expect(bytes).toHaveLength(expected.tokenLengthBytes);
    const { decoded: fields } = expected;
    expect([bytes[0], bytes[1]]).toEqual([fields!.identityByte, fields!.versionByte]);
    expectPayloads(bytes, input, expected);
    const decoded = expectDecoded(token, input, fields!, fields!.rawUidBase64);
    expect([decoded.version, decoded.identityScope, decoded.identityType]).toEqual([4, 'UID2', 'email']);
    expect(sdkDecrypt(token, input)).toMatchObject(expected.sdkDecrypt);
  });

  it.each(decodeOnly.filter(([, v]) => v.input.tokenVersion === 2))('%s', (_title, { input, expected }) => {
    const token = expected.token!;
    const fields = input.fields!;
    const masterKey = toKey(input.masterKey);
    const siteKey = toKey(input.siteKey);
    const reencoded = encodeAdvertisingTokenV2({
      masterKey,
      siteKey,
      expiresMs: fields.expires,
      siteId: fields.siteId,
      rawUid: b64(input.rawUidBase64!),
      privacyBits: fields.privacyBits,
      establishedMs: fields.established,
      masterIv: hex(input.masterIvHex!),
      siteIv: hex(input.siteIvHex!),
    });
    expect(reencoded).toBe(token);
    const bytes = b64(token);
    expect(bytes.toString('hex')).toBe(expected.tokenHex);
    const cbc = (key: Uint8Array, blob: Buffer) => {
      const decipher = createDecipheriv('aes-256-cbc', key, blob.subarray(0, 16));
      return Buffer.concat([decipher.update(blob.subarray(16)), decipher.final()]);
    };
    const master = cbc(masterKey.secret, bytes.subarray(5));
    expect(master.toString('hex')).toBe(expected.masterPlaintextHex);
    expect(cbc(siteKey.secret, master.subarray(12)).toString('hex')).toBe(expected.sitePlaintextHex);

    const decoded = decodeAdvertisingToken(token, lookup([masterKey, siteKey]));
    expect(decoded).toMatchObject({
      version: 2,
      identityScope: 'UID2',
      identityType: 'email',
      masterKeyId: masterKey.id,
      siteKeyId: siteKey.id,
      expiresMs: fields.expires,
      createdMs: fields.established,
      operator: null,
      siteId: fields.siteId,
      privacyBits: fields.privacyBits,
      establishedMs: fields.established,
      refreshedMs: null,
    });
    expect(decoded.rawUid.toString('base64')).toBe(input.rawUidBase64);
    expect(sdkDecrypt(token, input)).toMatchObject(expected.sdkDecrypt);
  });

  it('covers every decode-only vector', () => {
    const handled = decodeOnly.filter(
      ([, v]) => v.input.tokenVersion === 3 || v.input.tokenVersion === 2 || v.input.token !== undefined,
    );
    expect(handled).toHaveLength(decodeOnly.length);
  });

  it.each(ofKind<{ bytesHex: string }, { base64url: string; standardBase64: string }>(vectors, 'base64url'))(
    '%s',
    (_title, { input, expected }) => {
      const bytes = hex(input.bytesHex);
      expect(bytes.toString('base64url')).toBe(expected.base64url);
      expect(bytes.toString('base64')).toBe(expected.standardBase64);
      expect(decodeBase64UrlStrict(expected.base64url)?.equals(bytes)).toBe(true);
    },
  );
});
