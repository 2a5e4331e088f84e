import { readFileSync } from 'node:fs';
import { openRefreshResponse } from '@uid2-operator/crypto-envelope';
import type { LightMyRequestResponse } from 'fastify';
import type { TestClient } from './fixture.js';
import { createTestOperator, type TestOperator, type TestOperatorOptions } from './harness.js';

/** One record of a shared test-vector file (`apps/operator/test-vectors/*.json`). */
export interface TestVector {
  readonly title: string;
  readonly kind?: string;
  readonly input: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
  readonly notes?: string;
}

/** The vectors of `file` (in `apps/operator/test-vectors/`), optionally only those of one `kind`. */
export function loadVectors(file: string, kind?: string): TestVector[] {
  const url = new URL(`../../test-vectors/${file}`, import.meta.url);
  const vectors = (JSON.parse(readFileSync(url, 'utf8')) as { vectors: TestVector[] }).vectors;
  return kind === undefined ? vectors : vectors.filter((vector) => vector.kind === kind);
}

/** The `body` of a successful generate, refresh or client-generate answer. */
export interface TokenBody {
  readonly advertising_token: string;
  readonly refresh_token: string;
  readonly identity_expires: number;
  readonly refresh_expires: number;
  readonly refresh_from: number;
  readonly refresh_response_key: string;
}

/** Calls `/v2/token/generate` and returns the success body (fails the test otherwise). */
export async function generateTokens(
  operator: TestOperator,
  payload: Record<string, unknown>,
  client?: TestClient,
): Promise<TokenBody> {
  const { statusCode, json } = await operator.call(
    '/v2/token/generate',
    payload,
    client === undefined ? {} : { client },
  );
  const answer = json as { status?: string; body?: TokenBody };
  if (statusCode !== 200 || answer.status !== 'success' || answer.body === undefined) {
    throw new Error(`generate answered ${statusCode} ${JSON.stringify(json)}`);
  }
  return answer.body;
}

/** Options of {@link postRefresh}. */
export interface RefreshCallOptions {
  /** Send `Authorization: Bearer` with this client's key (default: no header). */
  readonly client?: TestClient;
  /** Send as `application/octet-stream` (default `text/plain`). */
  readonly binary?: boolean;
  readonly headers?: Record<string, string>;
}

/** Result of {@link postRefresh}: the decrypted JSON of a wrapped 200, or the plain JSON otherwise. */
export interface RefreshCallResult {
  readonly statusCode: number;
  readonly json: unknown;
  readonly response: LightMyRequestResponse;
}

/**
 * Posts `body` to `/v2/token/refresh`. With `responseKey` (base64) a 200 answer is decrypted
 * with it (spec/api.md §3.3); without, the body is parsed as plain JSON.
 */
export async function postRefresh(
  operator: TestOperator,
  body: string,
  responseKey?: string,
  options: RefreshCallOptions = {},
): Promise<RefreshCallResult> {
  const response = await operator.app.inject({
    method: 'POST',
    url: '/v2/token/refresh',
    headers: {
      'content-type': options.binary === true ? 'application/octet-stream' : 'text/plain',
      ...(options.client === undefined ? {} : { authorization: `Bearer ${options.client.key}` }),
      ...options.headers,
    },
    payload: body,
  });
  let json: unknown;
  if (response.statusCode === 200 && responseKey !== undefined) {
    const blob = options.binary === true ? response.rawPayload : response.body;
    json = JSON.parse(openRefreshResponse(Buffer.from(responseKey, 'base64'), blob).toString('utf8'));
  } else {
    json = parseOrText(response.body);
  }
  return { statusCode: response.statusCode, json, response };
}

/** The JSON value of `text`, or the text itself when it is not JSON (plain-text 4xx/5xx bodies). */
export function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Runs `run` against a fresh test operator and closes it afterwards. */
export async function withTestOperator(
  options: TestOperatorOptions,
  run: (operator: TestOperator) => Promise<void>,
): Promise<void> {
  const operator = await createTestOperator(options);
  try {
    await run(operator);
  } finally {
    await operator.close();
  }
}
