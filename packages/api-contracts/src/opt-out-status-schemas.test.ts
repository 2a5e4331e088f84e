import { describe, expect, it } from 'vitest';
import { OptOutStatusRequestSchema, OptOutStatusResponseSchema } from './opt-out-status-schemas.js';

const ID = 'yCevINTMQ+BMfihNbXjrDLbm/FF+JvBan5YqmToByik=';

describe('opt-out status schemas', () => {
  it('accepts up to 5,000 ids', () => {
    expect(OptOutStatusRequestSchema.safeParse({ advertising_ids: [ID] }).success).toBe(true);
    expect(OptOutStatusRequestSchema.safeParse({ advertising_ids: Array(5001).fill(ID) }).success).toBe(
      false,
    );
    expect(OptOutStatusRequestSchema.safeParse({}).success).toBe(false);
  });

  it('answers opted_out_since in whole seconds expressed as milliseconds', () => {
    const ok = { opted_out: [{ advertising_id: ID, opted_out_since: 1709745092000 }] };
    expect(OptOutStatusResponseSchema.safeParse({ status: 'success', body: ok }).success).toBe(true);
    const bad = { opted_out: [{ advertising_id: ID, opted_out_since: 1709745092001 }] };
    expect(OptOutStatusResponseSchema.safeParse({ status: 'success', body: bad }).success).toBe(false);
  });
});
