import { describe, expect, it } from 'vitest';
import { ErrorMessage } from './error-messages.js';
import {
  parseCstgPayload,
  parseCstgRequest,
  parseCstgRequestJson,
  requireCstgCryptoFields,
} from './parse-cstg-request.js';

const H = 'lz3+Rj7IV4X1+Vr1ujkG7tstkxwk5pgkqJ6mXbpOgTs=';
const BODY = {
  payload: 'fp0gX0NLZsXB',
  iv: 'So5uklYc1vgycAEI',
  public_key: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
  timestamp: 1767225600123,
  subscription_id: '4WvryDGbR5',
};
const INVALID_JSON = {
  ok: false,
  status: 'client_error',
  httpStatus: 400,
  message: 'json payload is not valid',
};
const MISSING_JSON = {
  ok: false,
  status: 'client_error',
  httpStatus: 400,
  message: 'json payload expected but not found',
};

describe('parseCstgRequest', () => {
  it('binds a web SDK body', () => {
    expect(parseCstgRequest(JSON.stringify(BODY))).toEqual({
      ok: true,
      value: {
        payload: BODY.payload,
        iv: BODY.iv,
        publicKey: BODY.public_key,
        timestamp: BODY.timestamp,
        subscriptionId: BODY.subscription_id,
        appName: undefined,
      },
    });
  });

  it('binds UTF-8 bytes, app_name included', () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ ...BODY, app_name: 'com.exämple.app' }));
    const result = parseCstgRequest(bytes);
    expect(result.ok && result.value.appName).toBe('com.exämple.app');
  });

  it('answers "json payload expected but not found" for no body or the literal null', () => {
    expect(parseCstgRequest(null)).toEqual(MISSING_JSON);
    expect(parseCstgRequest(undefined)).toEqual(MISSING_JSON);
    expect(parseCstgRequest('null')).toEqual(MISSING_JSON);
  });

  it.each([
    ['a zero-length body', ''],
    ['whitespace', '  '],
    ['text that is not JSON', 'payload=x'],
    ['JSON with trailing text', '{} x'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
    ['an empty byte body', new Uint8Array(0)],
  ])('answers "json payload is not valid" for %s', (_name, body) => {
    expect(parseCstgRequest(body)).toEqual(INVALID_JSON);
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"x"'],
    ['a number', '1'],
    ['a boolean', 'true'],
  ])('answers 400 where the reference answers 500, for JSON that is %s', (_name, body) => {
    expect(parseCstgRequest(body)).toEqual(INVALID_JSON);
  });

  it('refuses an unknown top-level key, as the strict binding does', () => {
    expect(parseCstgRequest(JSON.stringify({ ...BODY, extra: 1 }))).toEqual(INVALID_JSON);
  });

  it.each([
    ['an object payload', { payload: {} }],
    ['an array iv', { iv: [] }],
    ['an object subscription_id', { subscription_id: { id: 1 } }],
    ['a word timestamp', { timestamp: 'now' }],
    ['a boolean timestamp', { timestamp: true }],
    ['an array timestamp', { timestamp: [1] }],
    ['an infinite timestamp', { timestamp: Infinity }],
  ])('refuses %s, a type the binding cannot bind', (_name, change) => {
    expect(parseCstgRequestJson({ ...BODY, ...change })).toEqual(INVALID_JSON);
  });

  it('binds scalars the way Jackson does', () => {
    const result = parseCstgRequestJson({
      ...BODY,
      subscription_id: 42,
      app_name: false,
      timestamp: '1700000000000',
    });
    expect(result.ok && result.value).toMatchObject({
      subscriptionId: '42',
      appName: 'false',
      timestamp: 1700000000000,
    });
    const float = parseCstgRequestJson({ ...BODY, timestamp: 12.9 });
    expect(float.ok && float.value.timestamp).toBe(12);
  });

  it('defaults an absent or null timestamp to 0 and keeps null fields absent', () => {
    const result = parseCstgRequestJson({ subscription_id: 'x', timestamp: null, payload: null });
    expect(result).toEqual({
      ok: true,
      value: {
        payload: undefined,
        iv: undefined,
        publicKey: undefined,
        timestamp: 0,
        subscriptionId: 'x',
        appName: undefined,
      },
    });
  });
});

describe('requireCstgCryptoFields', () => {
  it('returns the three crypto fields when all are present', () => {
    const request = parseCstgRequestJson(BODY);
    if (!request.ok) throw new Error('unexpected');
    expect(requireCstgCryptoFields(request.value)).toEqual({
      ok: true,
      value: { payload: BODY.payload, iv: BODY.iv, publicKey: BODY.public_key },
    });
  });

  it.each(['payload', 'iv', 'public_key'])('answers the required-parameters message without %s', (key) => {
    const request = parseCstgRequestJson({ ...BODY, [key]: null });
    if (!request.ok) throw new Error('unexpected');
    expect(requireCstgCryptoFields(request.value)).toEqual({
      ok: false,
      status: 'client_error',
      httpStatus: 400,
      message: 'required parameters: payload, iv, public_key',
    });
  });
});

describe('parseCstgPayload', () => {
  it('returns the one hash and ignores other keys, raw email included', () => {
    expect(parseCstgPayload({ email_hash: H, email: 'a@b.com' })).toEqual({
      ok: true,
      value: { field: 'email_hash', type: 'email', value: H },
    });
    expect(parseCstgPayload({ phone_hash: H, email_hash: null })).toEqual({
      ok: true,
      value: { field: 'phone_hash', type: 'phone', value: H },
    });
  });

  it.each([
    ['neither hash', { email: 'a@b.com' }],
    ['both hashes', { email_hash: H, phone_hash: H }],
  ])('answers "please provide exactly one of" for %s', (_name, payload) => {
    expect(parseCstgPayload(payload)).toMatchObject({ ok: false, message: ErrorMessage.CstgExactlyOneHash });
  });

  it('answers "phone support not enabled" first when phone support is off', () => {
    expect(parseCstgPayload({ email_hash: H, phone_hash: H }, { phoneSupport: false })).toMatchObject({
      message: 'phone support not enabled',
    });
    expect(parseCstgPayload({}, { phoneSupport: false })).toMatchObject({
      message: 'please provide email_hash',
    });
  });

  it('answers Invalid Identifier for a hash that is not a string', () => {
    expect(parseCstgPayload({ email_hash: 44 })).toMatchObject({ message: 'Invalid Identifier' });
  });
});
