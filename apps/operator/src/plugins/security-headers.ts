import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NOT_FOUND_PAGE } from './errors.js';

/**
 * `X-Content-Type-Options: nosniff` on every answer, so a browser never reads a base64 envelope or
 * the 404 page as something else. (No `Server` or `X-Powered-By` header is ever sent.)
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    done();
  });
}

/**
 * Fastify's `frameworkErrors` handler: a URL that cannot be decoded (`/%`) is an unknown path and
 * gets the reference's 404 page, like any other unknown path (spec/api.md §2.5).
 */
export function frameworkErrors(_error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  reply.code(404).type('text/html; charset=utf-8').send(NOT_FOUND_PAGE);
}
