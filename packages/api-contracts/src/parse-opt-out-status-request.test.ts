import { describe, expect, it } from 'vitest';
import { OPT_OUT_STATUS_MAX_ITEMS, parseOptOutStatusRequest } from './parse-opt-out-status-request.js';

const ID = 'yCevINTMQ+BMfihNbXjrDLbm/FF+JvBan5YqmToByik=';

describe('parseOptOutStatusRequest', () => {
  it('returns the ids without copying them', () => {
    const ids = [ID, ID];
    const result = parseOptOutStatusRequest({ advertising_ids: ids });
    expect(result).toEqual({ ok: true, value: { advertisingIds: ids } });
    expect(result.ok && result.value.advertisingIds).toBe(ids);
  });

  it('accepts exactly the maximum and refuses one more', () => {
    const ids = Array.from({ length: OPT_OUT_STATUS_MAX_ITEMS }, () => ID);
    expect(parseOptOutStatusRequest({ advertising_ids: ids }).ok).toBe(true);
    expect(parseOptOutStatusRequest({ advertising_ids: [...ids, ID] })).toEqual({
      ok: false,
      status: 'client_error',
      httpStatus: 400,
      message: 'Request payload is too large',
    });
  });

  it('uses the configured maximum and checks the size before the elements', () => {
    expect(parseOptOutStatusRequest({ advertising_ids: [ID, null] }, { maxItems: 1 })).toMatchObject({
      message: 'Request payload is too large',
    });
  });

  it('answers "Invalid request body" for a null payload', () => {
    expect(parseOptOutStatusRequest(null)).toMatchObject({ message: 'Invalid request body' });
  });

  it.each([
    ['absent', {}],
    ['null', { advertising_ids: null }],
  ])('answers "Required Parameter Missing: advertising_ids" when the ids are %s', (_name, payload) => {
    expect(parseOptOutStatusRequest(payload)).toMatchObject({
      message: 'Required Parameter Missing: advertising_ids',
    });
  });

  it.each([
    ['a string', { advertising_ids: ID }],
    ['an object', { advertising_ids: { 0: ID } }],
    ['an array with null', { advertising_ids: [ID, null] }],
  ])('answers 400 "Invalid request body" where the reference answers 500, for %s', (_name, payload) => {
    expect(parseOptOutStatusRequest(payload)).toMatchObject({
      status: 'client_error',
      message: 'Invalid request body',
    });
  });

  it('reads numeric ids as text, like the reference', () => {
    const result = parseOptOutStatusRequest({ advertising_ids: [ID, 42] });
    expect(result.ok && result.value.advertisingIds).toEqual([ID, '42']);
  });
});
