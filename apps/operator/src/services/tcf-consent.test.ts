import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { buildTcfString } from '../test-support/tcf-string.js';
import { checkTcfConsent } from './tcf-consent.js';

const REQUIRED = [1, 2, 3, 4, 7, 10];

function invalidity(consent: string): unknown {
  try {
    checkTcfConsent(consent, 21);
    return 'parsed';
  } catch (error) {
    return error instanceof ApiError
      ? { httpStatus: error.httpStatus, status: error.status, message: error.message }
      : error;
  }
}

describe('checkTcfConsent', () => {
  it('is sufficient when vendor 21 has consent for purposes 1, 2, 3, 4, 7 and 10 (bit-field vendors)', () => {
    const consent = buildTcfString({ consentPurposes: REQUIRED, consentVendors: [3, 21, 40] });
    expect(checkTcfConsent(consent, 21)).toBe('sufficient');
  });

  it('is sufficient with range-encoded vendor sections', () => {
    const consent = buildTcfString({
      consentPurposes: REQUIRED,
      consentVendors: [8, 21, 300],
      rangeEncoding: true,
    });
    expect(checkTcfConsent(consent, 21)).toBe('sufficient');
  });

  it('combines consent purposes and legitimate-interest purposes when the vendor has both', () => {
    const consent = buildTcfString({
      consentPurposes: [1, 3, 4],
      liPurposes: [2, 7, 10],
      consentVendors: [21],
      liVendors: [21],
    });
    expect(checkTcfConsent(consent, 21)).toBe('sufficient');
  });

  it('is sufficient through legitimate interest alone', () => {
    expect(checkTcfConsent(buildTcfString({ liPurposes: REQUIRED, liVendors: [21] }), 21)).toBe('sufficient');
  });

  it('is insufficient when one required purpose is missing', () => {
    const consent = buildTcfString({ consentPurposes: [1, 2, 3, 4, 7], consentVendors: [21] });
    expect(checkTcfConsent(consent, 21)).toBe('insufficient');
  });

  it('is insufficient when the vendor is not in the consent list', () => {
    expect(checkTcfConsent(buildTcfString({ consentPurposes: REQUIRED, consentVendors: [20, 22] }), 21)).toBe(
      'insufficient',
    );
    expect(
      checkTcfConsent(
        buildTcfString({ consentPurposes: REQUIRED, consentVendors: [20, 22], rangeEncoding: true }),
        21,
      ),
    ).toBe('insufficient');
  });

  it('ignores consent purposes when the vendor only has legitimate interest', () => {
    const consent = buildTcfString({ consentPurposes: REQUIRED, liPurposes: [1], liVendors: [21] });
    expect(checkTcfConsent(consent, 21)).toBe('insufficient');
  });

  it('accepts a real CMP string (consent for 1, 3, 4 and legitimate interest for 2, 7, 10, range-encoded vendors)', () => {
    expect(checkTcfConsent('CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA', 21)).toBe('sufficient');
  });

  it('checks the configured vendor id', () => {
    const consent = buildTcfString({ consentPurposes: REQUIRED, consentVendors: [755] });
    expect(checkTcfConsent(consent, 755)).toBe('sufficient');
    expect(checkTcfConsent(consent, 21)).toBe('insufficient');
  });

  it('reads only the core segment of a string with more segments', () => {
    const consent = `${buildTcfString({ consentPurposes: REQUIRED, consentVendors: [21] })}.YAAAAAAAAAAA`;
    expect(checkTcfConsent(consent, 21)).toBe('sufficient');
  });

  it('throws 400 client_error "User consent is invalid" for strings that do not parse', () => {
    const invalid = { httpStatus: 400, status: 'client_error', message: 'User consent is invalid' };
    const valid = buildTcfString({ consentPurposes: REQUIRED, consentVendors: [21] });
    expect(invalidity('')).toEqual(invalid);
    expect(invalidity('not base64!')).toEqual(invalid);
    expect(
      invalidity(buildTcfString({ version: 1, consentPurposes: REQUIRED, consentVendors: [21] })),
    ).toEqual(invalid);
    expect(invalidity(valid.slice(0, 30))).toEqual(invalid);
  });
});
