import { buildOpenApiDocument } from '@uid2-operator/api-contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';

describe('GET /openapi.json', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await createTestOperator();
  });
  afterAll(async () => operator.close());

  it('serves the api-contracts OpenAPI 3.1 document with a relative server URL, without authentication', async () => {
    const response = await operator.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const document = response.json<{
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, unknown>;
    }>();
    expect(document).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument({ serverUrl: '/' }))));
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: '/' }]);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v2/identity/map', '/v3/identity/map', '/v2/key/sharing']),
    );
  });

  it('answers 405 to a POST', async () => {
    const response = await operator.app.inject({ method: 'POST', url: '/openapi.json' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET');
  });
});
