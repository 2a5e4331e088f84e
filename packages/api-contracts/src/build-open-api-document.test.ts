import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './build-open-api-document.js';

const POST_PATHS = [
  '/v2/token/generate',
  '/v2/token/refresh',
  '/v2/token/validate',
  '/v2/token/client-generate',
  '/v2/identity/map',
  '/v3/identity/map',
  '/v2/identity/buckets',
  '/v2/optout/status',
  '/v2/key/sharing',
  '/v2/key/bidstream',
  '/v2/key/latest',
  '/v2/token/logout',
];
const ENCRYPTED = POST_PATHS.filter((p) => p !== '/v2/token/refresh' && p !== '/v2/token/client-generate');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function collectRefs(node: Json, out: string[]): void {
  if (Array.isArray(node)) node.forEach((child) => collectRefs(child, out));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else collectRefs(value, out);
    }
  }
}

function resolvePointer(root: Json, ref: string): Json | undefined {
  expect(ref.startsWith('#/')).toBe(true);
  let node: Json | undefined = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node !== null && typeof node === 'object' && !Array.isArray(node) ? node[key] : undefined;
  }
  return node;
}

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument({ serverUrl: 'https://operator.example.com' });
  const json = JSON.parse(JSON.stringify(document)) as Json;

  it('is an OpenAPI 3.1 document that survives a JSON round trip', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(json).toEqual(document);
    expect(document.servers).toEqual([{ url: 'https://operator.example.com' }]);
    expect(buildOpenApiDocument().servers).toBeUndefined();
  });

  it('covers every POST route and the health check of spec/api.md §1', () => {
    expect(Object.keys(document.paths ?? {}).sort()).toEqual([...POST_PATHS, '/ops/healthcheck'].sort());
    for (const path of POST_PATHS) expect(document.paths?.[path]?.post, path).toBeDefined();
    expect(document.paths?.['/ops/healthcheck']?.get).toBeDefined();
  });

  it('resolves every $ref inside the document', () => {
    const refs: string[] = [];
    collectRefs(json, refs);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) expect(resolvePointer(json, ref), ref).toBeDefined();
  });

  it('documents encrypted endpoints by their plaintext with an envelope note and errors', () => {
    for (const path of ENCRYPTED) {
      const operation = document.paths?.[path]?.post;
      expect(operation?.security).toEqual([{ bearerAuth: [] }]);
      expect(operation?.['x-uid2-encrypted']).toBe(true);
      const body = operation?.requestBody;
      expect(body && 'description' in body ? body.description : '').toContain('version 0x01');
      const responses = operation?.responses ?? {};
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(['200', '400', '401', '413', '500']));
      expect(JSON.stringify(responses['200'])).toContain('no version byte');
    }
  });

  it('lists the exact spec messages in the error descriptions', () => {
    const text = JSON.stringify(document.paths);
    for (const message of [
      'email_hash must be an array',
      'Incorrect request format',
      'Required Parameter Missing: advertising_ids',
      'json payload expected but not found',
      'Invalid Token presented null',
      'Unexpected client site id 2',
      'Invalid link_id',
    ]) {
      expect(text).toContain(message);
    }
  });

  it('registers the request, response and error schemas as components', () => {
    const schemas = Object.keys(document.components?.schemas ?? {});
    expect(schemas).toEqual(
      expect.arrayContaining([
        'ErrorBody',
        'TokenGenerateRequest',
        'TokenGenerateResponse',
        'IdentityMapV3Item',
        'KeySharingResponse',
        'CstgRequest',
      ]),
    );
    expect(document.components?.securitySchemes?.['bearerAuth']).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('marks refresh auth as optional and CSTG and the health check as public', () => {
    expect(document.paths?.['/v2/token/refresh']?.post?.security).toEqual([{}, { bearerAuth: [] }]);
    expect(document.paths?.['/v2/token/client-generate']?.post?.security).toEqual([]);
    expect(document.paths?.['/ops/healthcheck']?.get?.security).toEqual([]);
  });

  it('builds a fresh object on every call', () => {
    expect(buildOpenApiDocument({ serverUrl: 'https://operator.example.com' })).not.toBe(document);
    expect(buildOpenApiDocument({ serverUrl: 'https://operator.example.com' })).toEqual(document);
  });
});
