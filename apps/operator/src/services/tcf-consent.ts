import { clientError } from '../errors.js';

/** Purposes the EUID operator needs (consent or legitimate interest) from the vendor (spec/internals.md §7.2). */
const REQUIRED_PURPOSES = [1, 2, 3, 4, 7, 10] as const;
/** First bit of the vendor-consent section in a TCF v2 core string. */
const VENDOR_SECTION_BIT = 213;

class BitReader {
  constructor(
    private readonly bytes: Buffer,
    public position = 0,
  ) {}

  read(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) {
      const bit = this.position + i;
      const byte = this.bytes[bit >> 3];
      if (byte === undefined) throw new RangeError('TCF string too short');
      value = value * 2 + ((byte >> (7 - (bit & 7))) & 1);
    }
    this.position += count;
    return value;
  }
}

/** Reads a TCF vendor section (bit field or ranges) and says whether `vendorId` is in it. */
function vendorIn(reader: BitReader, vendorId: number): boolean {
  const maxVendorId = reader.read(16);
  if (reader.read(1) === 0) {
    let found = false;
    for (let id = 1; id <= maxVendorId; id++) if (reader.read(1) === 1 && id === vendorId) found = true;
    return found;
  }
  const entries = reader.read(12);
  let found = false;
  for (let i = 0; i < entries; i++) {
    const isRange = reader.read(1) === 1;
    const start = reader.read(16);
    const end = isRange ? reader.read(16) : start;
    if (vendorId >= start && vendorId <= end) found = true;
  }
  return found;
}

/**
 * Checks a TCF v2 consent string for the EUID operator (spec/api.md §6.1): sufficient when the
 * purposes the vendor has consent for, together with the purposes it has legitimate-interest
 * transparency for, cover purposes 1, 2, 3, 4, 7 and 10.
 *
 * @returns `'sufficient'` or `'insufficient'`
 * @throws ApiError 400 `client_error` `User consent is invalid` when the string does not parse
 */
export function checkTcfConsent(consent: string, vendorId: number): 'sufficient' | 'insufficient' {
  let consentPurposes: number;
  let liPurposes: number;
  let vendorConsent: boolean;
  let vendorLi: boolean;
  try {
    const core = consent.split('.', 1)[0] ?? '';
    if (core === '' || !/^[A-Za-z0-9_-]+={0,2}$/.test(core)) throw new RangeError('not base64url');
    const reader = new BitReader(Buffer.from(core, 'base64url'));
    if (reader.read(6) !== 2) throw new RangeError('not TCF v2');
    reader.position = 152;
    consentPurposes = reader.read(24);
    liPurposes = reader.read(24);
    reader.position = VENDOR_SECTION_BIT;
    vendorConsent = vendorIn(reader, vendorId);
    vendorLi = vendorIn(reader, vendorId);
  } catch {
    throw clientError('User consent is invalid');
  }
  const has = (purposes: number, purpose: number) => Math.floor(purposes / 2 ** (24 - purpose)) % 2 === 1;
  const covered = REQUIRED_PURPOSES.every(
    (purpose) => (vendorConsent && has(consentPurposes, purpose)) || (vendorLi && has(liPurposes, purpose)),
  );
  return covered ? 'sufficient' : 'insufficient';
}
