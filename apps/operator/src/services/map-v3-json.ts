import type { OptOutPolicy } from '@uid2-operator/optout';
import type { SaltSource } from '@uid2-operator/salt-buckets';
import {
  FLH_BYTES,
  hashIdentities,
  type HashedIdentities,
  type HashInput,
  type MapSettings,
} from './hash-batch.js';

/** `e` of an identifier that was not mapped (spec/api.md §7.1-7.2). */
export const UNMAPPED_REASON = { optOut: 'optout', invalid: 'invalid identifier' } as const;

const INVALID_JSON = JSON.stringify({ e: UNMAPPED_REASON.invalid });
const OPTED_OUT_JSON = JSON.stringify({ e: UNMAPPED_REASON.optOut });

/**
 * The JSON array text of one `/v3/identity/map` response array (spec/api.md §7.2), byte-identical
 * to `JSON.stringify` of its `{u, p, r}` / `{e}` objects but built by concatenation: no object per
 * identifier and no generic serializer walk (the 5,000-id response showed in the map profile).
 * `u`/`p` are standard base64 (never escaped in JSON); `r` = floor(refreshFromMs / 1000) seconds.
 *
 * @param optedOut - whether mapped identifier `i` is answered `optout` (asked only for valid ones).
 */
export function v3ItemsJson(hashed: HashedIdentities, optedOut: (i: number) => boolean): string {
  return `[${v3ItemsText(hashed, optedOut)}]`;
}

/** {@link v3ItemsJson} without the brackets: the items joined by commas ('' when there are none). */
export function v3ItemsText(hashed: HashedIdentities, optedOut: (i: number) => boolean): string {
  let text = '';
  for (let i = 0; i < hashed.count; i++) {
    if (i > 0) text += ',';
    const u = hashed.rawUids[i] ?? null;
    if (u === null) text += INVALID_JSON;
    else if (optedOut(i)) text += OPTED_OUT_JSON;
    else {
      const p = hashed.previousRawUids[i] ?? null;
      const r = Math.floor((hashed.refreshFromMs[i] ?? 0) / 1000);
      text += `{"u":"${u}","p":${p === null ? 'null' : `"${p}"`},"r":${Number.isFinite(r) ? String(r) : 'null'}}`;
    }
  }
  return text;
}

/**
 * The items of a run of `/v3/identity/map` identifiers as JSON bytes, with how many there are.
 * Bytes, not text: a worker transfers them without a copy, and the response is assembled and
 * sealed as bytes, so no large string is ever built on the event loop.
 */
export interface V3JsonRun {
  readonly count: number;
  /**
   * {@link v3ItemsText} of the run as bytes (the items are ASCII), empty for an empty run. It owns
   * its whole `ArrayBuffer` (never a pooled slice), so it can be transferred.
   */
  readonly json: Uint8Array;
}

/** ASCII text into a new, unpooled buffer of its own (safe to transfer to another thread). */
function ownedAscii(text: string): Uint8Array {
  const bytes = Buffer.allocUnsafeSlow(text.length);
  bytes.write(text, 'latin1');
  return bytes;
}

/**
 * Maps `input.values[from, to)` as of `nowMs` (epoch ms) and answers the v3 items directly:
 * hashing as {@link hashIdentities}, then the opt-out decision of `policy` for each mapped
 * identifier (spec/api.md §5.5, never on refresh), then {@link v3ItemsText}. Runs in the hashing
 * workers (with a `SharedOptOutHashReader` behind the policy) and on the event loop alike.
 *
 * @throws SaltError as {@link hashIdentities}
 */
export function mapV3JsonRun(
  source: SaltSource,
  settings: MapSettings,
  policy: Pick<OptOutPolicy, 'isOptedOutAt'>,
  input: HashInput,
  nowMs: number,
  from = 0,
  to = input.values.length,
): V3JsonRun {
  const hashed = hashIdentities(source, settings, input, nowMs, 'v3', from, to);
  const check = { scope: settings.scope, type: input.type, forRefresh: false } as const;
  const flhs = hashed.firstLevelHashes;
  // All lookups first, in one tight loop: they are independent cache misses into a table of
  // hundreds of MB, which the CPU overlaps far better here than between string building.
  const optedOut = new Uint8Array(hashed.count);
  for (let i = 0; i < hashed.count; i++) {
    if (hashed.rawUids[i] !== null && policy.isOptedOutAt(flhs, i * FLH_BYTES, check)) optedOut[i] = 1;
  }
  return { count: hashed.count, json: ownedAscii(v3ItemsText(hashed, (i) => optedOut[i] === 1)) };
}

const COMMA = Buffer.from(',');

/** Joins consecutive runs of one input, in order, into one run (empty runs add nothing). */
export function joinV3JsonRuns(runs: readonly V3JsonRun[]): V3JsonRun {
  if (runs.length === 1 && runs[0] !== undefined) return runs[0];
  const pieces: Uint8Array[] = [];
  let count = 0;
  for (const run of runs) {
    if (run.count === 0) continue;
    if (count > 0) pieces.push(COMMA);
    pieces.push(run.json);
    count += run.count;
  }
  return { count, json: Buffer.concat(pieces) };
}

const RESPONSE_PIECES = [
  '{"body":{"email":[',
  '],"email_hash":[',
  '],"phone":[',
  '],"phone_hash":[',
  ']},"status":"success"}',
].map((text) => Buffer.from(text));

/**
 * The whole `{"body":{"email":[…],"email_hash":[…],"phone":[…],"phone_hash":[…]},"status":"success"}`
 * answer as bytes, straight from the four arrays' item runs in field order (one copy of each run):
 * byte-identical to `JSON.stringify` of the object answer.
 */
export function v3ResponseBytes(runs: readonly [V3JsonRun, V3JsonRun, V3JsonRun, V3JsonRun]): Buffer {
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < 4; i++) {
    pieces.push(RESPONSE_PIECES[i]!, runs[i]!.json);
  }
  pieces.push(RESPONSE_PIECES[4]!);
  return Buffer.concat(pieces);
}
