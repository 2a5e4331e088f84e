import { describe, expect, it } from 'vitest';
import { Uid2ClientError } from '../uid2-client-error.js';
import { type FetchLike, HttpTransport } from './http-transport.js';

type Step = Response | Error | 'hang';

function scripted(steps: Step[]): { fetch: FetchLike; urls: string[]; bodies: unknown[] } {
  const urls: string[] = [];
  const bodies: unknown[] = [];
  const fetch: FetchLike = (url, init) => {
    urls.push(url);
    bodies.push(init.body);
    const step = steps.shift() ?? new Response('', { status: 200 });
    if (step === 'hang') {
      return new Promise((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  return { fetch, urls, bodies };
}

function transport(
  fetch: FetchLike,
  sleeps: number[] = [],
  overrides: { retries?: number; timeoutMs?: number } = {},
) {
  return new HttpTransport({
    baseUrl: 'http://operator.test/',
    fetch,
    timeoutMs: overrides.timeoutMs ?? 1_000,
    retry: { retries: overrides.retries ?? 2, baseDelayMs: 100, maxDelayMs: 1_000 },
    now: () => 0,
    random: (size) => new Uint8Array(size),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    headers: { 'x-test': '1' },
  });
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

async function failure(promise: Promise<unknown>): Promise<Uid2ClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Uid2ClientError);
  return error as Uid2ClientError;
}

describe('HttpTransport', () => {
  it('joins the base URL and path and returns the body of a 2xx answer', async () => {
    const { fetch, urls } = scripted([
      new Response('aGk=', { status: 200, headers: { 'content-type': 'text/plain' } }),
    ]);
    const response = await transport(fetch).post({ path: '/v2/token/generate', body: () => 'x' });
    expect(urls).toEqual(['http://operator.test/v2/token/generate']);
    expect(response).toMatchObject({ status: 200, contentType: 'text/plain', attempts: 1 });
    expect(response.body.toString()).toBe('aGk=');
  });

  it('retries a 503 and a network error, rebuilding the body each time', async () => {
    const sleeps: number[] = [];
    let built = 0;
    const { fetch, bodies } = scripted([
      json(503, { status: 'unknown' }),
      new TypeError('fetch failed'),
      new Response('ok'),
    ]);
    const response = await transport(fetch, sleeps).post({ path: '/p', body: () => `body-${++built}` });
    expect(response.attempts).toBe(3);
    expect(bodies).toEqual(['body-1', 'body-2', 'body-3']);
    expect(sleeps).toEqual([50, 100]);
  });

  it('honours Retry-After on a 429', async () => {
    const sleeps: number[] = [];
    const { fetch } = scripted([
      new Response(null, { status: 429, headers: { 'retry-after': '1' } }),
      new Response('ok'),
    ]);
    await transport(fetch, sleeps).post({ path: '/p', body: () => '' });
    expect(sleeps).toEqual([1_000]);
  });

  it('never retries a 400 and reports the operator status and message', async () => {
    const { fetch, urls } = scripted([json(400, { status: 'client_error', message: 'Invalid Identifier' })]);
    const error = await failure(transport(fetch).post({ path: '/p', body: () => '' }));
    expect(urls).toHaveLength(1);
    expect(error).toMatchObject({
      code: 'ERR_BAD_REQUEST',
      httpStatus: 400,
      uid2Status: 'client_error',
      serverMessage: 'Invalid Identifier',
      attempts: 1,
    });
    expect(error.message).toBe(
      'the operator rejected the request: HTTP 400: client_error (Invalid Identifier)',
    );
  });

  it('maps 401, 403 and 404 to their own codes', async () => {
    const cases: [Response, string][] = [
      [json(401, { status: 'unauthorized' }), 'ERR_UNAUTHORIZED'],
      [json(403, { status: 'invalid_http_origin', message: 'unexpected http origin' }), 'ERR_FORBIDDEN'],
      [
        new Response('<html><body><h1>Resource not found</h1></body></html>', { status: 404 }),
        'ERR_NOT_FOUND',
      ],
    ];
    for (const [response, code] of cases) {
      const error = await failure(transport(scripted([response]).fetch).post({ path: '/p', body: () => '' }));
      expect(error.code).toBe(code);
    }
  });

  it('gives up after the last retry with the final status', async () => {
    const { fetch } = scripted([
      new Response('Internal Server Error', { status: 500 }),
      new Response('Internal Server Error', { status: 500 }),
      new Response('Internal Server Error', { status: 500 }),
    ]);
    const error = await failure(transport(fetch).post({ path: '/p', body: () => '' }));
    expect(error).toMatchObject({
      code: 'ERR_SERVER',
      httpStatus: 500,
      serverMessage: 'Internal Server Error',
      attempts: 3,
    });
    expect(error.message).toContain('after 3 attempts');
  });

  it('reports a network failure after the retries', async () => {
    const { fetch } = scripted([new TypeError('fetch failed'), new TypeError('fetch failed')]);
    const error = await failure(transport(fetch, [], { retries: 1 }).post({ path: '/p', body: () => '' }));
    expect(error).toMatchObject({ code: 'ERR_NETWORK', attempts: 2 });
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('aborts an attempt that outlives the timeout and retries it', async () => {
    const { fetch } = scripted(['hang', new Response('ok')]);
    const response = await transport(fetch, [], { timeoutMs: 20 }).post({ path: '/p', body: () => '' });
    expect(response.attempts).toBe(2);
  });

  it('reports a timeout when every attempt hangs', async () => {
    const { fetch } = scripted(['hang', 'hang']);
    const error = await failure(
      transport(fetch, [], { timeoutMs: 10, retries: 1 }).post({ path: '/p', body: () => '' }),
    );
    expect(error.code).toBe('ERR_TIMEOUT');
  });

  it('stops at once when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const { fetch, urls } = scripted([]);
    const error = await failure(
      transport(fetch).post({ path: '/p', body: () => '', signal: controller.signal }),
    );
    expect(error.code).toBe('ERR_ABORTED');
    expect(urls).toHaveLength(0);

    const late = new AbortController();
    const hanging = scripted(['hang']);
    const pending = transport(hanging.fetch).post({ path: '/p', body: () => '', signal: late.signal });
    late.abort();
    expect((await failure(pending)).code).toBe('ERR_ABORTED');
  });
});
