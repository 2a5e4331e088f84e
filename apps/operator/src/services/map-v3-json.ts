import type { OptOutPolicy } from '@uid2-operator/optout';
import type { SaltSource } from '@uid2-operator/salt-buckets';
import { FLH_BYTES, hashIdentities, type HashedIdentities, type HashInput, type MapSettings } from './hash-batch.js';

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

/** The items of a run of `/v3/identity/map` identifiers as JSON text, with how many there are. */
export interface V3JsonRun {
  readonly count: number;
  /** {@link v3ItemsText} of the run: items joined by commas, '' for an empty run. */
  readonly json: string;
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
  return { count: hashed.count, json: v3ItemsText(hashed, (i) => optedOut[i] === 1) };
}

/** Joins consecutive runs of one input, in order, into one run (empty runs add nothing). */
export function joinV3JsonRuns(runs: readonly V3JsonRun[]): V3JsonRun {
  if (runs.length === 1 && runs[0] !== undefined) return runs[0];
  let json = '';
  let count = 0;
  for (const run of runs) {
    if (run.count === 0) continue;
    json = count === 0 ? run.json : `${json},${run.json}`;
    count += run.count;
  }
  return { count, json };
}

/** The whole `{"body":{…},"status":"success"}` text from the four arrays' JSON, in field order. */
export function v3ResponseJson(arrays: readonly [string, string, string, string]): string {
  const [email, emailHash, phone, phoneHash] = arrays;
  return `{"body":{"email":${email},"email_hash":${emailHash},"phone":${phone},"phone_hash":${phoneHash}},"status":"success"}`;
}
