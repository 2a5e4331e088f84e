import { describe, expect, it } from 'vitest';
import { ErrorMessage } from './error-messages.js';
import { parseIdentityMapV2Request, parseIdentityMapV3Request } from './parse-identity-map-request.js';

const H = 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=';
const EXACTLY_ONE = ErrorMessage.ExactlyOneDii;

describe('parseIdentityMapV2Request', () => {
  it('returns the one non-empty array without copying it', () => {
    const emails = ['a@b.com', 'c@d.com'];
    const result = parseIdentityMapV2Request({ email: emails, phone: [], link_id: 'L1', optout_check: 1 });
    expect(result).toEqual({
      ok: true,
      value: { field: 'email', type: 'email', form: 'raw', values: emails, linkId: 'L1' },
    });
    expect(result.ok && result.value.values).toBe(emails);
  });

  it('accepts empty arrays alongside the non-empty one', () => {
    const result = parseIdentityMapV2Request({ email: [], phone_hash: [H], email_hash: [] });
    expect(result.ok && result.value).toMatchObject({
      field: 'phone_hash',
      type: 'phone',
      form: 'hash',
      values: [H],
    });
  });

  it('returns no values when every present array is empty', () => {
    const result = parseIdentityMapV2Request({ email_hash: [], phone: [] });
    expect(result.ok && result.value).toMatchObject({ field: 'email', values: [] });
  });

  it.each([
    ['email', { email: 'a@b.com' }],
    ['email_hash', { email_hash: H }],
    ['phone', { phone: 12345678901 }],
    ['phone_hash', { phone_hash: { a: 1 } }],
  ])('answers "%s must be an array" for a non-array value', (key, payload) => {
    expect(parseIdentityMapV2Request(payload)).toEqual({
      ok: false,
      status: 'client_error',
      httpStatus: 400,
      message: `${key} must be an array`,
    });
  });

  it('names the first non-array key in the order email, email_hash, phone, phone_hash', () => {
    expect(parseIdentityMapV2Request({ phone_hash: 1, phone: 1, email_hash: 1 })).toMatchObject({
      message: 'email_hash must be an array',
    });
    expect(parseIdentityMapV2Request({ email: ['a@b.com'], phone: 'x' })).toMatchObject({
      message: 'phone must be an array',
    });
  });

  it('stops at the second non-empty array before looking at later keys, as the reference does', () => {
    expect(parseIdentityMapV2Request({ email: ['a'], email_hash: [H], phone: 'not an array' })).toMatchObject(
      {
        message: EXACTLY_ONE,
      },
    );
  });

  it.each([
    ['an empty object', {}],
    ['only null values', { email: null, phone: null }],
    ['two non-empty arrays', { email: ['a@b.com'], phone: ['+12345678901'] }],
    ['a null payload (500 in the reference)', null],
  ])('answers the exactly-one message for %s', (_name, payload) => {
    expect(parseIdentityMapV2Request(payload)).toMatchObject({ ok: false, message: EXACTLY_ONE });
  });

  it('uses the email-only message and skips phone keys when phone support is off', () => {
    expect(parseIdentityMapV2Request({ phone: 'x' }, { phoneSupport: false })).toMatchObject({
      message: ErrorMessage.ExactlyOneEmailDii,
    });
    const result = parseIdentityMapV2Request({ email: ['a@b.com'], phone: ['+1'] }, { phoneSupport: false });
    expect(result.ok && result.value.field).toBe('email');
  });

  it('refuses a null element with Incorrect request format (500 in the reference)', () => {
    expect(parseIdentityMapV2Request({ email: ['a@b.com', null] })).toMatchObject({
      message: ErrorMessage.IncorrectRequestFormat,
    });
  });

  it('reads other non-string elements as text, like the reference', () => {
    const result = parseIdentityMapV2Request({ email: ['a@b.com', 5, true, { x: 1 }] });
    expect(result.ok && result.value.values).toEqual(['a@b.com', '5', 'true', '{"x":1}']);
  });

  it('accepts a 5,000-item request and hands back the same array without copying it', () => {
    const emails = Array.from({ length: 5000 }, (_, i) => `user${i}@example.com`);
    const result = parseIdentityMapV2Request({ email: emails });
    expect(result.ok && result.value.values).toBe(emails);
  });
});

describe('parseIdentityMapV3Request', () => {
  it('returns all four arrays, empty where absent or null', () => {
    const email = ['user@example.com'];
    const result = parseIdentityMapV3Request({ email, phone_hash: null });
    expect(result).toEqual({ ok: true, value: { email, email_hash: [], phone: [], phone_hash: [] } });
    expect(result.ok && result.value.email).toBe(email);
  });

  it('accepts a request whose only key holds null or an empty array', () => {
    expect(parseIdentityMapV3Request({ email_hash: null }).ok).toBe(true);
    expect(parseIdentityMapV3Request({ email: [] }).ok).toBe(true);
  });

  it.each([
    ['a null payload', null],
    ['an empty object', {}],
  ])('answers the one-or-more message for %s', (_name, payload) => {
    expect(parseIdentityMapV3Request(payload)).toEqual({
      ok: false,
      status: 'client_error',
      httpStatus: 400,
      message: ErrorMessage.MapV3OneOrMore,
    });
    expect(parseIdentityMapV3Request(payload, { phoneSupport: false })).toMatchObject({
      message: ErrorMessage.MapV3OneOrMoreEmail,
    });
  });

  it.each([
    ['link_id', { email: ['a@b.com'], link_id: 'x' }],
    ['policy', { email: ['a@b.com'], policy: 1 }],
    ['optout_check', { optout_check: 1 }],
    ['a non-array value', { email: 'a@b.com' }],
    ['a null element', { phone: ['+12345678901', null] }],
    ['an object element', { email_hash: [{}] }],
    ['an array element', { email_hash: [[H]] }],
  ])('answers Incorrect request format for %s', (_name, payload) => {
    expect(parseIdentityMapV3Request(payload)).toMatchObject({
      message: ErrorMessage.IncorrectRequestFormat,
    });
  });

  it('reads numbers and booleans as text, like Jackson', () => {
    const result = parseIdentityMapV3Request({ phone: ['+12345678901', 12, false] });
    expect(result.ok && result.value.phone).toEqual(['+12345678901', '12', 'false']);
  });

  it('still parses phone arrays when phone support is off', () => {
    const result = parseIdentityMapV3Request({ phone: ['+12345678901'] }, { phoneSupport: false });
    expect(result.ok && result.value.phone).toEqual(['+12345678901']);
  });
});
