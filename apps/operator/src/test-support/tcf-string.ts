/** Options of {@link buildTcfString}: what a CMP would record. */
export interface TcfStringOptions {
  /** Core string version (2 for TCF v2). */
  readonly version?: number;
  /** Purposes (1–24) with consent. */
  readonly consentPurposes?: readonly number[];
  /** Purposes (1–24) with legitimate-interest transparency. */
  readonly liPurposes?: readonly number[];
  /** Vendors with consent. */
  readonly consentVendors?: readonly number[];
  /** Vendors with legitimate interest. */
  readonly liVendors?: readonly number[];
  /** Encode the vendor sections as ranges instead of bit fields. */
  readonly rangeEncoding?: boolean;
}

/** Writes big-endian bit fields, as the TCF v2 core string is laid out. */
class BitWriter {
  private readonly bits: number[] = [];

  write(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) this.bits.push(Math.floor(value / 2 ** i) % 2);
  }

  flags(set: readonly number[], count: number): void {
    for (let i = 1; i <= count; i++) this.write(set.includes(i) ? 1 : 0, 1);
  }

  toBase64Url(): string {
    const bytes = Buffer.alloc(Math.ceil(this.bits.length / 8));
    this.bits.forEach((bit, index) => {
      if (bit === 1) bytes[index >> 3] = (bytes[index >> 3] ?? 0) | (0x80 >> (index & 7));
    });
    return bytes.toString('base64url');
  }
}

function writeVendors(writer: BitWriter, vendors: readonly number[], rangeEncoding: boolean): void {
  const max = vendors.length === 0 ? 0 : Math.max(...vendors);
  writer.write(max, 16);
  writer.write(rangeEncoding ? 1 : 0, 1);
  if (!rangeEncoding) {
    writer.flags(vendors, max);
    return;
  }
  writer.write(vendors.length, 12);
  for (const vendor of vendors) {
    // Alternate single ids and one-element ranges so both entry kinds are exercised.
    const asRange = vendor % 2 === 0;
    writer.write(asRange ? 1 : 0, 1);
    writer.write(vendor, 16);
    if (asRange) writer.write(vendor, 16);
  }
}

/**
 * A TCF v2 core string (IAB TCF v2 "Core String" layout: version, times, CMP fields, purposes at
 * bit 152, vendor consent section at bit 213, then the vendor legitimate-interest section and an
 * empty publisher-restrictions section), base64url without padding. For tests of the EUID consent check.
 */
export function buildTcfString(options: TcfStringOptions = {}): string {
  const writer = new BitWriter();
  writer.write(options.version ?? 2, 6);
  writer.write(16_000_000_000, 36); // created, deciseconds
  writer.write(16_000_000_000, 36); // last updated
  writer.write(7, 12); // CMP id
  writer.write(1, 12); // CMP version
  writer.write(1, 6); // consent screen
  writer.write(4 * 64 + 13, 12); // consent language "EN"
  writer.write(100, 12); // vendor list version
  writer.write(2, 6); // TCF policy version
  writer.write(1, 1); // is service specific
  writer.write(0, 1); // non-standard texts
  writer.write(0, 12); // special feature opt-ins
  writer.flags(options.consentPurposes ?? [], 24);
  writer.flags(options.liPurposes ?? [], 24);
  writer.write(0, 1); // purpose one treatment
  writer.write(4 * 64 + 13, 12); // publisher country
  writeVendors(writer, options.consentVendors ?? [], options.rangeEncoding ?? false);
  writeVendors(writer, options.liVendors ?? [], options.rangeEncoding ?? false);
  writer.write(0, 12); // publisher restrictions
  return writer.toBase64Url();
}
