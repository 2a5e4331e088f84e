import { isIdentityScope, isIdentityType } from './identity.js';
import type { IdentityScope, IdentityType } from './identity.js';
import { OptOutError } from './optout-error.js';

/** Length in bytes of a first-level hash (SHA-256 output, spec/internals.md §3.3). */
export const FIRST_LEVEL_HASH_BYTES = 32;

/** Largest accepted `optedOutAtSeconds`: 2^32 − 1 (the index stores a uint32, valid until 2106). */
export const MAX_OPT_OUT_SECONDS = 0xffff_ffff;

/**
 * One opt-out (spec/internals.md §6.3, without the file framing).
 *
 * - `firstLevelHash`: 32-byte FLH of the identity (spec/internals.md §3.3); the opt-out key.
 * - `advertisingId`: the raw UID current at opt-out time, 32 bytes (v2) or 33 bytes (v3/v4), or
 *   `null` when unknown. Used by `/v2/optout/status` (spec/api.md §8).
 * - `scope`, `type`: identity scope and DII type the opt-out was recorded for.
 * - `optedOutAtSeconds`: opt-out time in epoch **seconds** (integer, 0 … 2^32 − 1).
 */
export interface OptOutRecord {
  readonly firstLevelHash: Uint8Array;
  readonly advertisingId: Uint8Array | null;
  readonly scope: IdentityScope;
  readonly type: IdentityType;
  readonly optedOutAtSeconds: number;
}

/**
 * Throws `ERR_OPTOUT_BAD_HASH` unless `flh` is a 32-byte `Uint8Array` (`detail`: received length,
 * -1 when not a `Uint8Array`).
 */
export function assertFirstLevelHash(flh: Uint8Array): void {
  if (!(flh instanceof Uint8Array)) throw new OptOutError('ERR_OPTOUT_BAD_HASH', -1);
  if (flh.length !== FIRST_LEVEL_HASH_BYTES) throw new OptOutError('ERR_OPTOUT_BAD_HASH', flh.length);
}

/**
 * Throws `ERR_OPTOUT_BAD_HASH` unless `bytes` is a `Uint8Array` holding 32 bytes at `offset`
 * (an integer ≥ 0). `detail`: the length of `bytes`, -1 when not a `Uint8Array`.
 */
export function assertHashAt(bytes: Uint8Array, offset: number): void {
  if (!(bytes instanceof Uint8Array)) throw new OptOutError('ERR_OPTOUT_BAD_HASH', -1);
  if (!(offset >= 0 && offset + FIRST_LEVEL_HASH_BYTES <= bytes.length && offset === Math.floor(offset))) {
    throw new OptOutError('ERR_OPTOUT_BAD_HASH', bytes.length);
  }
}

/**
 * Throws `ERR_OPTOUT_BAD_ADVERTISING_ID` unless `rawUid` is a 32- or 33-byte `Uint8Array`
 * (`detail`: received length, -1 when not a `Uint8Array`).
 */
export function assertAdvertisingId(rawUid: Uint8Array): void {
  if (!(rawUid instanceof Uint8Array)) throw new OptOutError('ERR_OPTOUT_BAD_ADVERTISING_ID', -1);
  if (rawUid.length !== 32 && rawUid.length !== 33) {
    throw new OptOutError('ERR_OPTOUT_BAD_ADVERTISING_ID', rawUid.length);
  }
}

/**
 * Checks every field of an {@link OptOutRecord} and throws the matching {@link OptOutError}:
 * `ERR_OPTOUT_BAD_HASH`, `ERR_OPTOUT_BAD_ADVERTISING_ID`, `ERR_OPTOUT_BAD_SCOPE`,
 * `ERR_OPTOUT_BAD_TYPE` or `ERR_OPTOUT_BAD_TIMESTAMP`. Stores call it on a whole batch before
 * writing anything, so a bad record leaves the store unchanged.
 */
export function assertOptOutRecord(record: OptOutRecord): void {
  assertFirstLevelHash(record.firstLevelHash);
  if (record.advertisingId != null) assertAdvertisingId(record.advertisingId);
  if (!isIdentityScope(record.scope)) throw new OptOutError('ERR_OPTOUT_BAD_SCOPE');
  if (!isIdentityType(record.type)) throw new OptOutError('ERR_OPTOUT_BAD_TYPE');
  const seconds = record.optedOutAtSeconds;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_OPT_OUT_SECONDS) {
    throw new OptOutError('ERR_OPTOUT_BAD_TIMESTAMP', typeof seconds === 'number' ? seconds : undefined);
  }
}
