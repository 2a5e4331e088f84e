import fc from 'fast-check';
import { type FuzzCase, VALID_AUTH } from './case-types.js';
import { ALL_PATHS } from './payloads.js';

const METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'POST', 'TRACE', 'PROPFIND'];
const PATH_CHARS = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789/-_.~%?=&#'.split(''));

/** Known paths made odd: case, trailing slash, query, encoding, doubled slashes, dot segments. */
const oddPath = fc.oneof(
  fc.constantFrom(...ALL_PATHS),
  fc.constantFrom(...ALL_PATHS).map((p) => p.toUpperCase()),
  fc.constantFrom(...ALL_PATHS).map((p) => `${p}/`),
  fc.constantFrom(...ALL_PATHS).map((p) => `${p}?client=uid2-sdk-3.0.0&x=%00`),
  fc.constantFrom(...ALL_PATHS).map((p) => p.replace('/v2/', '//v2//')),
  fc.constantFrom(...ALL_PATHS).map((p) => p.replace('token', '%74oken')),
  fc.constantFrom(...ALL_PATHS).map((p) => `/static/../..${p}`),
  fc.string({ unit: PATH_CHARS, maxLength: 60 }).map((p) => `/${p}`),
  fc.integer({ min: 1000, max: 8000 }).map((n) => `/${'a'.repeat(n)}`),
  fc.constantFrom(
    '/',
    '/metrics',
    '/v1/token/generate',
    '/v2/token',
    '/static/js/uid2-sdk-1.0.0.js',
    '/ops/healthcheck?verbose=1',
    '/*',
  ),
);

/** Every method on known and odd paths (spec/api.md §2.5: 404 page, 405 with `Allow`, CORS preflight). */
export function routeCase(): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      fc.constantFrom(...METHODS),
      oddPath,
      fc.boolean(),
      fc.option(fc.constantFrom('http://localhost:8080', 'https://evil.example'), { nil: undefined }),
    )
    .map(([method, path, withBody, origin]) => {
      const headers: Record<string, string> =
        origin === undefined ? {} : { origin, 'access-control-request-method': 'POST' };
      const body = withBody && method !== 'GET' && method !== 'HEAD' ? Buffer.from('{"a":1}') : undefined;
      return {
        family: 'routes',
        note: `${method} ${path.slice(0, 60)}`,
        method,
        path,
        auth: withBody ? VALID_AUTH : undefined,
        headers,
        body: body === undefined ? { kind: 'none' } : { kind: 'raw', bytes: body },
        framing: body === undefined ? 'none' : 'length',
      };
    });
}

const MIB = 1 << 20;

/** Bodies around and above the 1 MiB limit (spec/api.md §2.1: 413 `Request Entity Too Large`). */
export function oversizeCase(): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      fc.constantFrom(...ALL_PATHS.filter((p) => !p.startsWith('/static') && p !== '/ops/healthcheck')),
      fc.constantFrom(MIB - 1, MIB, MIB + 1, 2 * MIB, 5 * MIB),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([path, size, chunked, auth]) => ({
      family: 'oversize',
      note: `${size} bytes${chunked ? ' chunked' : ''}`,
      method: 'POST',
      path,
      auth: auth ? VALID_AUTH : undefined,
      headers: { 'content-type': 'text/plain' },
      body: { kind: 'raw', bytes: Buffer.alloc(size, 0x41) },
      framing: chunked ? 'chunked' : 'length',
    }));
}
