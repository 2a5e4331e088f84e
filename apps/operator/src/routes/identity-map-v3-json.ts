import type { HashedIdentities } from '../services/hash-batch.js';
import { UNMAPPED_REASON } from './identity-map-shared.js';

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
  let text = '[';
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
  return text + ']';
}

/** The whole `{"body":{…},"status":"success"}` text from the four arrays' JSON, in field order. */
export function v3ResponseJson(arrays: readonly [string, string, string, string]): string {
  const [email, emailHash, phone, phoneHash] = arrays;
  return `{"body":{"email":${email},"email_hash":${emailHash},"phone":${phone},"phone_hash":${phoneHash}},"status":"success"}`;
}
