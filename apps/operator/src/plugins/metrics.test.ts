import { describe, expect, it } from 'vitest';
import { withTestOperator } from '../test-support/token-helpers.js';

describe('request metrics', () => {
  it('labels requests by the route metric, other for plain routes and unknown_route for 404s', async () => {
    await withTestOperator({}, async (operator) => {
      const generated = await operator.call('/v2/token/generate', {
        email: 'someone@example.com',
        optout_check: 1,
      });
      expect(generated.statusCode).toBe(200);
      const unauthorized = await operator.app.inject({
        method: 'POST',
        url: '/v2/token/generate',
        payload: 'x',
      });
      expect(unauthorized.statusCode).toBe(401);
      expect((await operator.app.inject({ method: 'GET', url: '/no/such/path' })).statusCode).toBe(404);
      const first = await operator.app.inject({ method: 'GET', url: '/metrics' });
      expect(first.statusCode).toBe(200);
      const text = (await operator.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(text).toContain('uid2_requests_total{endpoint="token_generate",status="200"} 1');
      expect(text).toContain('uid2_requests_total{endpoint="token_generate",status="401"} 1');
      expect(text).toContain('uid2_requests_total{endpoint="unknown_route",status="404"} 1');
      expect(text).toContain('uid2_requests_total{endpoint="other",status="200"} 1');
      expect(text).toContain('uid2_request_duration_seconds_count{endpoint="token_generate"} 2');
    });
  });
});
