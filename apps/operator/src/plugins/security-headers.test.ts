import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';

describe('hardening', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await createTestOperator();
  });
  afterAll(async () => operator.close());

  it('sends X-Content-Type-Options: nosniff and no Server or X-Powered-By header', async () => {
    const response = await operator.app.inject({ method: 'GET', url: '/ops/healthcheck' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers.server).toBeUndefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it.each(['/%', '/x%', '/v2/%zz'])('answers the 404 page for the undecodable path %s', async (url) => {
    const response = await operator.app.inject({ method: 'POST', url });
    expect(response.statusCode).toBe(404);
    expect(response.body).toBe('<html><body><h1>Resource not found</h1></body></html>');
  });

  it.each(['text', 'x', 'a/b/c', ';;;/', ''])(
    'reads a body sent with the malformed Content-Type %j as base64 text, like any other type',
    async (contentType) => {
      const { statusCode, json } = await operator.call(
        '/v2/token/generate',
        { email: 'user@example.com' },
        {
          headers: { 'content-type': contentType },
        },
      );
      expect(statusCode).toBe(200);
      expect((json as { status: string }).status).toBe('success');
    },
  );
});
