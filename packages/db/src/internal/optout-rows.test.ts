import { describe, expect, it } from 'vitest';
import { inAscendingOrder } from './ascending.js';
import { decodeRecordBlob, type BlobRecord } from './optout-rows.js';

function blobRecord(seq: number, flhByte: number, adLength: 0 | 32 | 33): Buffer {
  const head = Buffer.alloc(50);
  head.writeUInt32BE(0, 0);
  head.writeUInt32BE(seq, 4);
  head.writeUInt32BE(0, 8);
  head.writeUInt32BE(1_700_000_000 + seq, 12);
  head.fill(flhByte, 16, 48);
  head[48] = (1 << 2) | (1 << 1) | 1; // EUID, phone, settled
  head[49] = adLength;
  return Buffer.concat([head, Buffer.alloc(adLength, flhByte + 1)]);
}

describe('decodeRecordBlob / inAscendingOrder', () => {
  it('decodes base64 with PostgreSQL line breaks and sorts a page that came out of order', () => {
    const bytes = Buffer.concat([blobRecord(7, 1, 33), blobRecord(5, 2, 0), blobRecord(6, 3, 32)]);
    const base64 = bytes.toString('base64').replace(/(.{76})/g, '$1\n');
    expect(base64).toContain('\n');
    const entries = decodeRecordBlob(base64);
    expect(entries.map((entry) => entry.seq)).toEqual([7, 5, 6]);
    expect(entries[0]!.record).toMatchObject({
      scope: 'EUID',
      type: 'phone',
      optedOutAtSeconds: 1_700_000_007,
    });
    expect(entries[0]!.record.advertisingId).toHaveLength(33);
    expect(entries[1]!.record.advertisingId).toBeNull();
    expect(entries[0]!.settled).toBe(true);
    const sorted = inAscendingOrder(entries, (entry) => entry.seq);
    expect(sorted.map((entry) => entry.seq)).toEqual([5, 6, 7]);
    expect(sorted.map((entry) => entry.record.firstLevelHash[0])).toEqual([2, 3, 1]);
    const ordered: BlobRecord[] = [...sorted];
    expect(inAscendingOrder(ordered, (entry) => entry.seq)).toBe(ordered);
    expect(decodeRecordBlob(null)).toEqual([]);
  });
});
