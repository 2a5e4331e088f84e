import { describe, expect, it } from 'vitest';
import { EnvelopeError, type EnvelopeErrorCode, envelopeErrorMessage } from './envelope-error.js';

const UID2_HINT =
  ' See https://unifiedid.com/docs/getting-started/gs-encryption-decryption for details on the request envelope format.';
const EUID_HINT =
  ' See https://euid.eu/docs/getting-started/gs-encryption-decryption for details on the request envelope format.';

describe('envelopeErrorMessage', () => {
  it.each<[EnvelopeErrorCode, string]>([
    ['ERR_ENVELOPE_MISSING', 'Invalid body: Body is missing.'],
    ['ERR_ENVELOPE_NOT_BASE64', 'Invalid body: Body is not valid base64.' + UID2_HINT],
    ['ERR_ENVELOPE_TOO_SHORT', 'Invalid body: Body too short. Check encryption method.' + UID2_HINT],
    ['ERR_ENVELOPE_DECRYPT', 'Invalid body: Check encryption key (ClientSecret).' + UID2_HINT],
    ['ERR_ENVELOPE_STALE', 'Invalid timestamp: Request too old or client time drift.'],
    ['ERR_ENVELOPE_PAYLOAD_NOT_JSON', 'Invalid payload in body: Data is not valid json string.'],
    ['ERR_ENVELOPE_NONCE_MISMATCH', 'nonce mismatch'],
    ['ERR_CSTG_BAD_PUBLIC_KEY', 'bad public key'],
    ['ERR_CSTG_BAD_IV', 'bad iv'],
    ['ERR_CSTG_DECRYPT', 'payload decryption failed'],
    ['ERR_CSTG_PAYLOAD_NOT_JSON', 'encrypted payload contains invalid json'],
    ['ERR_KEY_FORMAT', 'invalid key format'],
  ])('gives the UID2 wire message for %s', (code, message) => {
    expect(envelopeErrorMessage(new EnvelopeError(code), 'UID2')).toBe(message);
  });

  it('reports the received version byte and the EUID documentation host', () => {
    const error = new EnvelopeError('ERR_ENVELOPE_VERSION', 255);
    expect(envelopeErrorMessage(error, 'EUID')).toBe(
      'Invalid body: Invalid request envelope format version: received 255, must be 1.' + EUID_HINT,
    );
    expect(envelopeErrorMessage(new EnvelopeError('ERR_ENVELOPE_VERSION'), 'UID2')).toContain('received 0,');
  });

  it('points unencrypted-JSON callers at the code examples of their scope', () => {
    const error = new EnvelopeError('ERR_ENVELOPE_UNENCRYPTED_JSON');
    expect(envelopeErrorMessage(error, 'EUID')).toContain(
      'https://euid.eu/docs/getting-started/gs-encryption-decryption#encryption-and-decryption-code-examples',
    );
    expect(envelopeErrorMessage(error, 'UID2')).toMatch(
      /^Invalid body: The request body is unencrypted JSON\./,
    );
  });

  it('keeps request data out of the error itself', () => {
    const error = new EnvelopeError('ERR_ENVELOPE_DECRYPT');
    expect(error.name).toBe('EnvelopeError');
    expect(error.message).toBe('AES-GCM authentication failed');
    expect(error.detail).toBeUndefined();
  });
});
