import { openRequestEnvelope, openResponseEnvelope } from '@uid2-operator/crypto-envelope';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient, patchTables, type TestClient } from '../test-support/fixture.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { loadVectors, parseOrText, type TestVector } from '../test-support/token-helpers.js';

const errorVectors = loadVectors('envelope.json', 'request-envelope-error');
const acceptedVectors = loadVectors('envelope.json', 'request-envelope-accepted');

interface EnvelopeInput {
  identityScope: 'UID2' | 'EUID';
  contentType: string;
  clientSecretBase64: string;
  serverNowMs: number;
  body?: string;
  bodyHex?: string;
}

const inputOf = (vector: TestVector) => vector.input as unknown as EnvelopeInput;
const bodyOf = (input: EnvelopeInput) =>
  input.bodyHex === undefined ? (input.body ?? '') : Buffer.from(input.bodyHex, 'hex');

describe('POST /v2/token/generate with the envelope.json request vectors', () => {
  const operators = new Map<string, { operator: TestOperator; client: TestClient }>();
  beforeAll(async () => {
    for (const vector of [...errorVectors, ...acceptedVectors]) {
      const input = inputOf(vector);
      const id = `${input.identityScope}|${input.serverNowMs}|${input.clientSecretBase64}`;
      if (operators.has(id)) continue;
      const client = createTestClient(999, 'vector client', ['GENERATOR'], {
        secretBase64: input.clientSecretBase64,
      });
      const operator = await createTestOperator({
        now: () => input.serverNowMs,
        config: { identityScope: input.identityScope },
        prepare: (fixture) => patchTables(fixture, { apiKeys: [...fixture.tables.apiKeys, client.record] }),
      });
      operators.set(id, { operator, client });
    }
  });
  afterAll(async () => {
    for (const { operator } of operators.values()) await operator.close();
  });

  async function send(vector: TestVector) {
    const input = inputOf(vector);
    const entry = operators.get(`${input.identityScope}|${input.serverNowMs}|${input.clientSecretBase64}`);
    if (entry === undefined) throw new Error('no operator for the vector');
    return entry.operator.app.inject({
      method: 'POST',
      url: '/v2/token/generate',
      headers: { authorization: `Bearer ${entry.client.key}`, 'content-type': input.contentType },
      payload: bodyOf(input),
    });
  }

  it('covers every request-envelope-error and request-envelope-accepted vector', () => {
    expect([errorVectors.length, acceptedVectors.length]).toEqual([20, 4]);
  });

  for (const vector of errorVectors) {
    it(`answers "${vector.title}" with the exact ${String(vector.expected.httpStatus)}`, async () => {
      const response = await send(vector);
      expect(response.statusCode).toBe(vector.expected.httpStatus);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(parseOrText(response.body)).toEqual({
        status: vector.expected.status,
        message: vector.expected.message,
      });
    });
  }

  for (const vector of acceptedVectors) {
    it(`accepts "${vector.title}" and answers in the request's transport`, async () => {
      const input = inputOf(vector);
      const secret = Buffer.from(input.clientSecretBase64, 'base64');
      const body = bodyOf(input);
      const request = openRequestEnvelope(Buffer.isBuffer(body) ? body : Buffer.from(body), {
        secret,
        nowMs: input.serverNowMs,
        binary: input.contentType === 'application/octet-stream',
      });
      const response = await send(vector);
      expect(response.statusCode).toBe(200);
      const binary = request.mode === 'binary';
      expect(response.headers['content-type']).toBe(binary ? 'application/octet-stream' : 'text/plain');
      const opened = openResponseEnvelope({
        secret,
        envelope: binary ? response.rawPayload : response.body,
        expectedNonce: request.nonce,
      });
      expect((JSON.parse(opened.json.toString('utf8')) as { status: string }).status).toBe('success');
    });
  }
});

describe('HTTP behaviour around /v2/token/generate', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await createTestOperator();
  });
  afterAll(async () => operator.close());

  const authorization = () => ({ authorization: `Bearer ${operator.fixture.clients.all.key}` });

  it('answers "Invalid body: Body is missing." to a request without any body', async () => {
    const response = await operator.app.inject({
      method: 'POST',
      url: '/v2/token/generate',
      headers: authorization(),
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      status: 'client_error',
      message: 'Invalid body: Body is missing.',
    });
  });

  it('answers 413 "Request Entity Too Large" in plain text to a body over 1 MiB', async () => {
    const response = await operator.app.inject({
      method: 'POST',
      url: '/v2/token/generate',
      headers: { ...authorization(), 'content-type': 'text/plain' },
      payload: 'A'.repeat((1 << 20) + 4),
    });
    expect(response.statusCode).toBe(413);
    expect(response.body).toBe('Request Entity Too Large');
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('does not allow Authorization in the generate preflight, unlike validate', async () => {
    const preflight = (url: string) =>
      operator.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: 'https://publisher.example', 'access-control-request-method': 'POST' },
      });
    const generate = await preflight('/v2/token/generate');
    expect(generate.statusCode).toBe(204);
    expect(generate.headers['access-control-allow-origin']).toBe('https://publisher.example');
    expect(generate.headers['access-control-allow-methods']).toBe('GET,POST,OPTIONS');
    expect(String(generate.headers['access-control-allow-headers']).split(',')).not.toContain(
      'Authorization',
    );
    const validate = await preflight('/v2/token/validate');
    expect(String(validate.headers['access-control-allow-headers']).split(',')).toContain('Authorization');
  });

  it('answers an unknown path with the 404 HTML page', async () => {
    const response = await operator.app.inject({ method: 'POST', url: '/v2/token/nothing' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toBe('<html><body><h1>Resource not found</h1></body></html>');
  });

  it('answers a wrong method with 405, an Allow header and an empty body', async () => {
    for (const url of ['/v2/token/generate', '/v2/token/refresh', '/v2/token/validate', '/v2/token/logout']) {
      const response = await operator.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('POST');
      expect(response.body).toBe('');
    }
  });

  it('ignores the query string', async () => {
    const { statusCode } = await operator.call('/v2/token/generate?client=uid2-sdk-3.4.0', {
      email: 'user@example.com',
    });
    expect(statusCode).toBe(200);
  });
});
