import type { FastifyInstance } from 'fastify';

/** `type/subtype` with optional parameters (RFC 9110 tokens). */
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+\s*(?:;.*)?$/i;

/** 1 MiB, the reference's `MAX_REQUEST_BODY_SIZE` (spec/api.md §2.1). */
export const MAX_BODY_BYTES = 1 << 20;

/**
 * Reads every request body as raw bytes, whatever its Content-Type: the SDKs send base64 text as
 * `application/x-www-form-urlencoded`, `text/plain` or nothing, and `/v3/identity/map` as
 * `application/octet-stream` (spec/api.md §2.3). Nothing is ever form- or JSON-parsed here.
 */
export function registerRawBody(app: FastifyInstance): void {
  // A Content-Type that is not `type/subtype` would make Fastify refuse the body (415); the
  // reference reads such a body as base64 text like any other non-octet-stream type.
  app.addHook('onRequest', (request, _reply, done) => {
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && !MEDIA_TYPE.test(contentType))
      request.raw.headers['content-type'] = 'text/plain';
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => {
    done(null, body);
  });
}

/** True when the request was sent as binary (`application/octet-stream`, whole header, any case). */
export function isOctetStream(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.trim().toLowerCase() === 'application/octet-stream';
}

/** The raw request body: bytes, or `undefined` when the request carried none. */
export function rawBody(body: unknown): Buffer | undefined {
  return Buffer.isBuffer(body) ? body : undefined;
}
