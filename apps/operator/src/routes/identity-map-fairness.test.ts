import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createTestOperator } from '../test-support/harness.js';

// Issue requirement "long work must not block short work" (PERFORMANCE.md §5): while a 20,000-id
// identity map is being hashed, a token generate sent after it must be answered before it. No
// timing is measured; only the order in which the two answers arrive.
const EMAILS = Array.from({ length: 20_000 }, (_, i) => `fairness${i}@example.com`);

describe.each([
  ['one hashing worker thread', 1],
  ['no worker threads (chunks on the event loop)', 0],
])('identity map with %s', (_name, hashWorkers) => {
  it('answers a token generate sent during a 20,000-id map before the map', async () => {
    const operator = await createTestOperator({ config: { hashWorkers } });
    try {
      // Warm up: the worker (if any) starts and loads the salts before the race.
      expect((await operator.call('/v3/identity/map', { email: EMAILS.slice(0, 300) })).statusCode).toBe(200);
      const order: string[] = [];
      const map = operator.call('/v3/identity/map', { email: EMAILS }).then((result) => {
        order.push('map');
        return result;
      });
      // Let the map get past envelope opening and into hashing (hashing 20,000 ids takes far longer).
      await sleep(5);
      const generate = operator.call('/v2/token/generate', { email: 'fair@example.com' }).then((result) => {
        order.push('generate');
        return result;
      });
      const [mapped, generated] = await Promise.all([map, generate]);
      expect(generated.statusCode).toBe(200);
      expect(mapped.statusCode).toBe(200);
      expect((mapped.json as { body: { email: unknown[] } }).body.email).toHaveLength(EMAILS.length);
      expect(order).toEqual(['generate', 'map']);
    } finally {
      await operator.close();
    }
  });
});
