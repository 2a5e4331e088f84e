import { createCipheriv, hash } from 'node:crypto';
import type { OptOutRecord } from '@uid2-operator/optout';

/** Identifiers per identity/map and optout/status request (the documented maximum). */
export const BATCH_SIZE = 5000;

/** Bytes of key stream per synthetic opt-out: first-level hash (32) ‖ advertising id (32). */
const RECORD_STRIDE = 64;
const BASE_OPTED_OUT_SECONDS = 1_700_000_000;

const FIRST = ['alex', 'sam', 'kim', 'jo', 'lee', 'max', 'ana', 'noa', 'eli', 'ray'];
const DOMAINS = ['example.com', 'mail.example.org', 'gmail.com', 'corp.example.net'];

/**
 * The same `count` distinct, valid email addresses on every call: mostly lower-case, some with
 * upper case, gmail addresses with dots and `+tags` (so normalization has work to do).
 */
export function benchEmails(count = BATCH_SIZE): string[] {
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const h = hash('sha256', `bench-email-${i}`, 'hex');
    const name = `${FIRST[i % FIRST.length]!}.${h.slice(0, 8)}`;
    const domain = DOMAINS[i % DOMAINS.length]!;
    let email =
      domain === 'gmail.com' && i % 3 === 0 ? `${name}+news${i}@${domain}` : `${name}${i}@${domain}`;
    if (i % 7 === 0) email = email.toUpperCase();
    emails.push(email);
  }
  return emails;
}

/**
 * Deterministic pseudo-random key stream for synthetic opt-outs `start .. start+count`
 * (AES-256-CTR keyed by SHA-256 of `seed`), 64 bytes per record: FLH ‖ advertising id.
 * The seeding child, the floor worker and request builders all derive the same records from it.
 */
export function optOutKeyStream(seed: string, start: number, count: number): Buffer {
  const key = hash('sha256', `bench-optouts:${seed}`, 'buffer');
  const iv = Buffer.alloc(16);
  const block = start * (RECORD_STRIDE / 16);
  iv.writeUInt32BE(Math.floor(block / 2 ** 32), 8);
  iv.writeUInt32BE(block % 2 ** 32, 12);
  return createCipheriv('aes-256-ctr', key, iv).update(Buffer.alloc(count * RECORD_STRIDE));
}

/** Opt-out time of synthetic record `i`, epoch seconds (all in the past). */
export function optedOutAtSeconds(i: number): number {
  return BASE_OPTED_OUT_SECONDS + (i % 40_000_000);
}

/** Synthetic opt-out records `start .. start+count` as the db package's `add` takes them. */
export function optOutRecords(seed: string, start: number, count: number): OptOutRecord[] {
  const stream = optOutKeyStream(seed, start, count);
  const records: OptOutRecord[] = [];
  for (let k = 0; k < count; k++) {
    const o = k * RECORD_STRIDE;
    records.push({
      firstLevelHash: stream.subarray(o, o + 32),
      advertisingId: stream.subarray(o + 32, o + 64),
      scope: 'UID2',
      type: 'email',
      optedOutAtSeconds: optedOutAtSeconds(start + k),
    });
  }
  return records;
}

/** Visits every synthetic record (FLH, advertising id, seconds) in chunks, without building objects. */
export function forEachOptOut(
  seed: string,
  total: number,
  visit: (flh: Buffer, advertisingId: Buffer, seconds: number, index: number) => void,
): void {
  const chunk = 1 << 16;
  for (let start = 0; start < total; start += chunk) {
    const count = Math.min(chunk, total - start);
    const stream = optOutKeyStream(seed, start, count);
    for (let k = 0; k < count; k++) {
      const o = k * RECORD_STRIDE;
      visit(
        stream.subarray(o, o + 32),
        stream.subarray(o + 32, o + 64),
        optedOutAtSeconds(start + k),
        start + k,
      );
    }
  }
}

/**
 * `batches` optout/status request lists of {@link BATCH_SIZE} base64 advertising ids each:
 * a `hitFraction` share are ids of synthetic opt-outs (so they answer with a time), the rest are
 * random 32-byte ids that are not opted out.
 *
 * @param advertisingIdOf - base64 advertising id of synthetic record `i` (from the floor worker's table).
 */
export function optOutStatusBatches(
  total: number,
  batches: number,
  hitFraction: number,
  advertisingIdOf: (i: number) => string,
): string[][] {
  const out: string[][] = [];
  for (let b = 0; b < batches; b++) {
    const ids: string[] = [];
    for (let j = 0; j < BATCH_SIZE; j++) {
      const h = hash('sha256', `bench-status-${b}-${j}`, 'buffer');
      if (h.readUInt32BE(0) / 2 ** 32 < hitFraction) ids.push(advertisingIdOf(h.readUInt32BE(4) % total));
      else ids.push(h.toString('base64'));
    }
    out.push(ids);
  }
  return out;
}
