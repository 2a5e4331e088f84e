import { describe, expect, it } from 'vitest';
import { ErrorMessage } from './error-messages.js';
import { parseGenerateRequest, parseLogoutRequest, parseValidateRequest } from './parse-generate-request.js';

const EMAIL_HASH = 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=';
const MISSING = ErrorMessage.ExactlyOneDii;
const MISSING_EMAIL_ONLY = ErrorMessage.ExactlyOneEmailDii;

describe('parseGenerateRequest', () => {
  it('returns the single DII with its type and form', () => {
    expect(parseGenerateRequest({ email: 'User@Example.com' })).toEqual({
      ok: true,
      value: {
        identity: { field: 'email', type: 'email', form: 'raw', value: 'User@Example.com' },
        tcfConsentString: undefined,
      },
    });
    const phoneHash = parseGenerateRequest({ phone_hash: EMAIL_HASH });
    expect(phoneHash.ok && phoneHash.value.identity).toEqual({
      field: 'phone_hash',
      type: 'phone',
      form: 'hash',
      value: EMAIL_HASH,
    });
  });

  it('ignores unknown keys such as the removed optout_check and policy', () => {
    const result = parseGenerateRequest({ email_hash: EMAIL_HASH, optout_check: 1, policy: 1, foo: {} });
    expect(result.ok).toBe(true);
  });

  it('passes tcf_consent_string through as text', () => {
    const result = parseGenerateRequest({
      email: 'a@b.com',
      tcf_consent_string: 'CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA',
    });
    expect(result.ok && result.value.tcfConsentString).toBe(
      'CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA',
    );
    const numeric = parseGenerateRequest({ email: 'a@b.com', tcf_consent_string: 5 });
    expect(numeric.ok && numeric.value.tcfConsentString).toBe('5');
    const object = parseGenerateRequest({ email: 'a@b.com', tcf_consent_string: { v: 2 } });
    expect(object.ok && object.value.tcfConsentString).toBe('{"v":2}');
  });

  it.each([
    ['a null payload', null],
    ['an empty object', {}],
    ['only null DII values', { email: null, phone_hash: null }],
    ['two DII keys', { email: 'a@b.com', email_hash: EMAIL_HASH }],
    ['a raw email and a phone', { email: 'a@b.com', phone: '+12345678901' }],
    ['a payload that is not an object', ['a@b.com']],
  ])('answers the exactly-one message for %s', (_name, payload) => {
    expect(parseGenerateRequest(payload)).toEqual({
      ok: false,
      status: 'client_error',
      httpStatus: 400,
      message: MISSING,
    });
  });

  it('answers the email-only message when phone support is off', () => {
    expect(parseGenerateRequest({}, { phoneSupport: false })).toMatchObject({
      ok: false,
      message: MISSING_EMAIL_ONLY,
    });
  });

  it('ignores phone keys when phone support is off', () => {
    expect(parseGenerateRequest({ phone: '+12345678901' }, { phoneSupport: false })).toMatchObject({
      message: MISSING_EMAIL_ONLY,
    });
    const result = parseGenerateRequest({ email: 'a@b.com', phone: '+12345678901' }, { phoneSupport: false });
    expect(result.ok && result.value.identity.field).toBe('email');
  });

  it.each([
    ['a number', { email: 123 }],
    ['a boolean', { phone: true }],
    ['an array', { email_hash: [EMAIL_HASH] }],
    ['an object', { phone_hash: { a: 1 } }],
  ])('answers Invalid Identifier when the DII is %s', (_name, payload) => {
    expect(parseGenerateRequest(payload)).toMatchObject({
      ok: false,
      message: ErrorMessage.InvalidIdentifier,
    });
  });

  it('reports ambiguity before the type of a value', () => {
    expect(parseGenerateRequest({ email: 1, email_hash: 2 })).toMatchObject({ message: MISSING });
  });
});

describe('parseValidateRequest', () => {
  it('returns the DII and the token', () => {
    const result = parseValidateRequest({ token: 'A4AAAA', email: 'validate@example.com' });
    expect(result).toEqual({
      ok: true,
      value: {
        identity: { field: 'email', type: 'email', form: 'raw', value: 'validate@example.com' },
        token: 'A4AAAA',
      },
    });
  });

  it('leaves a missing token to the caller because the DII is checked first', () => {
    const result = parseValidateRequest({ phone: '+12345678901' });
    expect(result.ok && result.value.token).toBeNull();
  });

  it('uses the generate messages for a missing or invalid DII', () => {
    expect(parseValidateRequest({ token: 'x' })).toMatchObject({ status: 'client_error', message: MISSING });
    expect(parseValidateRequest(null, { phoneSupport: false })).toMatchObject({
      message: MISSING_EMAIL_ONLY,
    });
    expect(parseValidateRequest({ token: 'x', email: 7 })).toMatchObject({
      message: ErrorMessage.InvalidIdentifier,
    });
  });
});

describe('parseLogoutRequest', () => {
  it('returns the DII and the strings forwarded to the opt-out service', () => {
    const result = parseLogoutRequest({ email: 'a@b.com', clientIp: '10.0.0.1' }, { phoneSupport: false });
    expect(result).toEqual({
      ok: true,
      value: {
        identity: { field: 'email', type: 'email', form: 'raw', value: 'a@b.com' },
        email: 'a@b.com',
        phone: undefined,
        clientIp: '10.0.0.1',
      },
    });
  });

  it('forwards phone even when phone support is off and the email is the DII', () => {
    const result = parseLogoutRequest({ email: 'a@b.com', phone: '+12345678901' }, { phoneSupport: false });
    expect(result.ok && result.value.phone).toBe('+12345678901');
  });

  it.each([
    ['a null payload', null],
    ['no DII', { clientIp: '1.2.3.4' }],
    ['two DII keys', { email: 'a@b.com', phone: '+12345678901' }],
  ])('answers invalid_token "Invalid Token presented null" for %s', (_name, payload) => {
    expect(parseLogoutRequest(payload)).toEqual({
      ok: false,
      status: 'invalid_token',
      httpStatus: 400,
      message: 'Invalid Token presented null',
    });
  });

  it('answers invalid_token with the invalid-identifier text for a non-string DII', () => {
    expect(parseLogoutRequest({ email_hash: 12 })).toMatchObject({
      status: 'invalid_token',
      message: ErrorMessage.LogoutInvalidIdentifier,
    });
  });
});
