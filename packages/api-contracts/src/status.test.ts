import { describe, expect, it } from 'vitest';
import { ErrorMessage, mustBeAnArray, unexpectedClientSiteId } from './error-messages.js';
import { ErrorBodySchema, Status, StatusSchema, SuccessStatusSchema } from './status.js';

describe('Status', () => {
  it('lists the twelve status strings of the catalogue', () => {
    expect(Object.values(Status).sort()).toEqual(
      [
        'success',
        'optout',
        'insufficient_user_consent',
        'client_error',
        'invalid_token',
        'expired_token',
        'error',
        'unauthorized',
        'invalid_client',
        'invalid_http_origin',
        'invalid_app_name',
        'unknown',
      ].sort(),
    );
    expect(StatusSchema.safeParse('unknown').success).toBe(true);
    expect(StatusSchema.safeParse('forbidden').success).toBe(false);
    expect(SuccessStatusSchema.safeParse('client_error').success).toBe(false);
  });
});

describe('ErrorBodySchema', () => {
  it.each([
    [{ status: 'unauthorized' }],
    [{ status: 'client_error', message: 'Invalid Identifier' }],
    [{ status: 'error', message: '' }],
    [{ status: 'invalid_client', message: unexpectedClientSiteId(2) }],
  ])('accepts %j', (body) => {
    expect(ErrorBodySchema.safeParse(body).success).toBe(true);
  });

  it.each([
    [{ status: 'success' }],
    [{ message: 'x' }],
    [{ status: 'client_error', message: 1 }],
    [{ status: 'unknown', extra: 1 }],
  ])('refuses %j', (body) => {
    expect(ErrorBodySchema.safeParse(body).success).toBe(false);
  });
});

describe('ErrorMessage', () => {
  it('spells the messages exactly as the reference', () => {
    expect(mustBeAnArray('email_hash')).toBe('email_hash must be an array');
    expect(unexpectedClientSiteId(-1)).toBe('Unexpected client site id -1');
    expect(ErrorMessage.ExactlyOneDii).toBe(
      'Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified',
    );
    expect(ErrorMessage.MapV3OneOrMoreEmail).toBe(
      'Required Parameter Missing: one or more of [email, email_hash] must be specified',
    );
  });
});
