import { gcmDecrypt, openRefreshResponse, sealRefreshResponse } from '@uid2-operator/crypto-envelope';
import { describe, expect, it } from 'vitest';
import { decodeRefreshToken, encodeRefreshToken } from './refresh-token.js';
import { REFRESH_TOKEN_WRAPPER_LENGTH, unwrapRefreshToken, wrapRefreshToken } from './refresh-wrapper.js';
import { type VectorKey, b64, hex, loadVectors, lookup, ofKind, toKey } from './test-support/vectors.js';
import { TokenError, refreshWrapperErrorMessage } from './token-error.js';
import type { IdentityScope, IdentityType } from './types.js';

interface InnerInput {
  identityScope: IdentityScope;
  identityType: IdentityType;
  refreshKey: VectorKey;
  fields: {
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
    firstLevelHash: string;
  };
  ivHex: string;
}
interface InnerExpected {
  identityByte: number;
  payloadPlaintextHex: string;
  tokenHex: string;
  tokenBase64: string;
  tokenLengthChars: number;
}
interface WrapperInput {
  identityScope: IdentityScope;
  refreshKey: VectorKey;
  innerRefreshTokenBase64: string;
  refreshResponseKeyBase64: string;
  ivHex: string;
}
interface WrapperExpected {
  scopeByte: number;
  wrapperJson: string;
  wrapperBytesLength: number;
  refreshToken: string;
  refreshTokenLength: number;
  prefix: string;
}
interface ResponseInput {
  refreshResponseKeyBase64: string;
  ivHex?: string;
  responseJson?: string;
  responseBase64?: string;
}
interface ResponseExpected {
  responseBase64?: string;
  ivHex?: string;
  responseJson?: string;
  refreshedIdentity: Record<string, unknown>;
}

const vectors = loadVectors('refresh-token.json');

describe('refresh-token.json', () => {
  it('has only kinds this test understands', () => {
    expect([...new Set(vectors.map((v) => v.kind))].sort()).toEqual([
      'inner-refresh-token',
      'refresh-request-error',
      'refresh-response',
      'refresh-response-decode-only',
      'refresh-token-wrapper',
      'wrapper-structure',
    ]);
  });

  it.each(ofKind<InnerInput, InnerExpected>(vectors, 'inner-refresh-token'))(
    '%s',
    (_title, { input, expected }) => {
      const key = toKey(input.refreshKey);
      const { fields } = input;
      const token = encodeRefreshToken({
        identity: { scope: input.identityScope, type: input.identityType },
        siteId: fields.siteId,
        privacyBits: fields.privacyBits,
        establishedMs: fields.established,
        createdMs: fields.created,
        expiresMs: fields.expires,
        firstLevelHash: b64(fields.firstLevelHash),
        refreshKey: key,
        iv: hex(input.ivHex),
      });
      expect(token).toBe(expected.tokenBase64);
      expect(token).toHaveLength(expected.tokenLengthChars);
      const bytes = b64(token);
      expect(bytes.toString('hex')).toBe(expected.tokenHex);
      expect(bytes[0]).toBe(expected.identityByte);
      expect(gcmDecrypt(key.secret, bytes.subarray(6)).toString('hex')).toBe(expected.payloadPlaintextHex);

      const decoded = decodeRefreshToken(token, lookup([key]));
      expect(decoded).toMatchObject({
        version: 3,
        identityScope: input.identityScope,
        identityType: input.identityType,
        keyId: key.id,
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
      });
      expect(decoded.firstLevelHash.toString('base64')).toBe(fields.firstLevelHash);
    },
  );

  it.each(ofKind<WrapperInput, WrapperExpected>(vectors, 'refresh-token-wrapper'))(
    '%s',
    (_title, { input, expected }) => {
      const key = toKey(input.refreshKey);
      const wrapped = wrapRefreshToken({
        scope: input.identityScope,
        innerToken: input.innerRefreshTokenBase64,
        refreshResponseKey: b64(input.refreshResponseKeyBase64),
        refreshKey: key,
        iv: hex(input.ivHex),
      });
      expect(wrapped).toBe(expected.refreshToken);
      expect(wrapped).toHaveLength(expected.refreshTokenLength);
      expect(wrapped.startsWith(expected.prefix)).toBe(true);
      const bytes = b64(wrapped);
      expect(bytes).toHaveLength(expected.wrapperBytesLength);
      expect(bytes[0]).toBe(expected.scopeByte);
      expect(gcmDecrypt(key.secret, bytes.subarray(5)).toString('utf8')).toBe(expected.wrapperJson);

      const unwrapped = unwrapRefreshToken(wrapped, lookup([key]));
      expect(unwrapped.innerToken).toBe(input.innerRefreshTokenBase64);
      expect(unwrapped.refreshResponseKey.toString('base64')).toBe(input.refreshResponseKeyBase64);
      expect(unwrapped.keyId).toBe(key.id);
    },
  );

  it.each(ofKind<ResponseInput, ResponseExpected>(vectors, 'refresh-response'))(
    '%s',
    (_title, { input, expected }) => {
      const key = b64(input.refreshResponseKeyBase64);
      const sealed = sealRefreshResponse(key, input.responseJson!, hex(input.ivHex!));
      expect(sealed.toString('base64')).toBe(expected.responseBase64);
      const json = JSON.parse(openRefreshResponse(key, expected.responseBase64!).toString('utf8')) as {
        body?: unknown;
      };
      if (json.body !== undefined) expect(json.body).toEqual(expected.refreshedIdentity);
    },
  );

  it.each(ofKind<ResponseInput, ResponseExpected>(vectors, 'refresh-response-decode-only'))(
    '%s',
    (_title, { input, expected }) => {
      expect(b64(input.responseBase64!).subarray(0, 12).toString('hex')).toBe(expected.ivHex);
      const text = openRefreshResponse(b64(input.refreshResponseKeyBase64), input.responseBase64!).toString(
        'utf8',
      );
      expect(text).toBe(expected.responseJson);
      const json = JSON.parse(text) as { body?: Record<string, unknown> };
      if (json.body !== undefined) expect(json.body).toMatchObject(expected.refreshedIdentity);
    },
  );

  it.each(
    ofKind<
      { refreshToken: string },
      {
        refreshTokenLength: number;
        wrapperBytesLength: number;
        scopeByte: number;
        refreshKeyId: number;
        ivHex: string;
      }
    >(vectors, 'wrapper-structure'),
  )('%s', (_title, { input, expected }) => {
    expect(input.refreshToken).toHaveLength(REFRESH_TOKEN_WRAPPER_LENGTH);
    const bytes = b64(input.refreshToken);
    expect(bytes).toHaveLength(expected.wrapperBytesLength);
    expect([bytes[0], bytes.readInt32BE(1), bytes.subarray(5, 17).toString('hex')]).toEqual([
      expected.scopeByte,
      expected.refreshKeyId,
      expected.ivHex,
    ]);
    try {
      unwrapRefreshToken(input.refreshToken, lookup([]));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_TOKEN_UNKNOWN_KEY', detail: expected.refreshKeyId });
    }
  });

  it.each(
    ofKind<
      { requestBody: string; keyStore: VectorKey[] },
      { httpStatus: number; status: string; message: string }
    >(vectors, 'refresh-request-error'),
  )('%s', (_title, { input, expected }) => {
    expect(input.requestBody).toHaveLength(REFRESH_TOKEN_WRAPPER_LENGTH);
    expect([expected.httpStatus, expected.status]).toEqual([400, 'client_error']);
    try {
      unwrapRefreshToken(input.requestBody, lookup(input.keyStore.map(toKey)));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TokenError);
      expect(refreshWrapperErrorMessage(error as TokenError)).toBe(expected.message);
    }
  });
});
