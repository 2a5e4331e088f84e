import { describe, expect, it } from 'vitest';
import {
  FIRST_LEVEL_HASH_BYTES,
  IDENTITY_SCOPES,
  IDENTITY_TYPES,
  MAX_OPT_OUT_SECONDS,
  OPT_OUT_ERROR_CODES,
  OptOutError,
  assertAdvertisingId,
  assertFirstLevelHash,
  assertOptOutRecord,
  isIdentityScope,
  isIdentityType,
} from './index.js';
import type { OptOutRecord } from './index.js';

const good: OptOutRecord = {
  firstLevelHash: Buffer.alloc(32, 1),
  advertisingId: Buffer.alloc(33, 2),
  scope: 'UID2',
  type: 'phone',
  optedOutAtSeconds: 1_700_000_000,
};

function errorOf(fn: () => unknown): OptOutError | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof OptOutError) return error;
    throw error;
  }
  return undefined;
}

describe('opt-out records', () => {
  it('accepts a valid record, with or without an advertising id', () => {
    expect(() => assertOptOutRecord(good)).not.toThrow();
    expect(() => assertOptOutRecord({ ...good, advertisingId: null })).not.toThrow();
    expect(() => assertOptOutRecord({ ...good, advertisingId: undefined as never })).not.toThrow();
    expect(() => assertOptOutRecord({ ...good, advertisingId: Buffer.alloc(32) })).not.toThrow();
    expect(() => assertOptOutRecord({ ...good, optedOutAtSeconds: MAX_OPT_OUT_SECONDS })).not.toThrow();
  });

  it('reports the received length of a bad hash or advertising id, and -1 for a non-byte value', () => {
    expect(errorOf(() => assertFirstLevelHash(Buffer.alloc(31)))).toMatchObject({
      code: 'ERR_OPTOUT_BAD_HASH',
      detail: 31,
    });
    expect(errorOf(() => assertFirstLevelHash([1, 2] as never))).toMatchObject({
      code: 'ERR_OPTOUT_BAD_HASH',
      detail: -1,
    });
    expect(errorOf(() => assertAdvertisingId(Buffer.alloc(0)))).toMatchObject({
      code: 'ERR_OPTOUT_BAD_ADVERTISING_ID',
      detail: 0,
    });
    expect(errorOf(() => assertAdvertisingId('abc' as never))).toMatchObject({ detail: -1 });
    expect(FIRST_LEVEL_HASH_BYTES).toBe(32);
  });

  it('rejects scope, type and time outside their ranges', () => {
    expect(errorOf(() => assertOptOutRecord({ ...good, scope: 'EUID2' as never }))?.code).toBe(
      'ERR_OPTOUT_BAD_SCOPE',
    );
    expect(errorOf(() => assertOptOutRecord({ ...good, type: 'Email' as never }))?.code).toBe(
      'ERR_OPTOUT_BAD_TYPE',
    );
    for (const t of [-1, 0.5, MAX_OPT_OUT_SECONDS + 1, Number.POSITIVE_INFINITY]) {
      expect(errorOf(() => assertOptOutRecord({ ...good, optedOutAtSeconds: t }))).toMatchObject({
        code: 'ERR_OPTOUT_BAD_TIMESTAMP',
        detail: t,
      });
    }
    expect(
      errorOf(() => assertOptOutRecord({ ...good, optedOutAtSeconds: '5' as never }))?.detail,
    ).toBeUndefined();
  });

  it('keeps data out of error messages and names every code', () => {
    const error = errorOf(() => assertFirstLevelHash(Buffer.from('user@example.com.............xx')));
    expect(error?.message).not.toContain('example');
    expect(error?.name).toBe('OptOutError');
    expect(error).toBeInstanceOf(Error);
    expect(OPT_OUT_ERROR_CODES).toContain('ERR_OPTOUT_BAD_CURSOR');
    expect(new Set(OPT_OUT_ERROR_CODES.map((code) => new OptOutError(code).message)).size).toBe(
      OPT_OUT_ERROR_CODES.length,
    );
  });

  it('recognises the scope and type literals', () => {
    expect(IDENTITY_SCOPES.every(isIdentityScope)).toBe(true);
    expect(IDENTITY_TYPES.every(isIdentityType)).toBe(true);
    expect(isIdentityScope('uid2')).toBe(false);
    expect(isIdentityType(null)).toBe(false);
  });
});
