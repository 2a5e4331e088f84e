import { EnvelopeError, envelopeErrorMessage } from '@uid2-operator/crypto-envelope';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, UnauthorizedError } from '../errors.js';

/** Every path the operator serves, for the 405-versus-404 decision of spec/api.md §2.5. */
export type KnownPaths = ReadonlyMap<string, readonly string[]>;

/** The reference's 404 page (Vert.x default, spec/api.md §2.5). */
export const NOT_FOUND_PAGE = '<html><body><h1>Resource not found</h1></body></html>';

/**
 * The single error handler: UID2 errors become their exact wire answer, framework errors their
 * reference equivalent (413 plain text), and anything unexpected a 500 whose body and log line
 * carry no request data. Unknown paths get the reference's 404 HTML page; a known path with the
 * wrong method gets 405 with `Allow` and an empty body.
 */
export function registerErrorHandling(
  app: FastifyInstance,
  options: { scope: 'UID2' | 'EUID'; knownPaths: () => KnownPaths },
): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof UnauthorizedError) {
      return reply.code(401).type('application/json').send('{"status":"unauthorized"}');
    }
    if (error instanceof ApiError) {
      return sendJsonError(reply, error.httpStatus, error.status, error.message);
    }
    if (error instanceof EnvelopeError) {
      return sendJsonError(reply, 400, 'client_error', envelopeErrorMessage(error, options.scope));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).type('text/plain').send('Request Entity Too Large');
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendJsonError(reply, 400, 'client_error', 'Invalid request');
    }
    logUnexpected(request, error);
    const message = request.routeOptions.config.uid2?.unknownErrorMessage;
    if (message !== undefined) return sendJsonError(reply, 500, 'unknown', message);
    return reply.code(500).type('text/plain').send('Internal Server Error');
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    const methods = options.knownPaths().get(path);
    if (methods !== undefined) {
      return reply.code(405).header('Allow', methods.join(',')).removeHeader('content-type').send();
    }
    return reply.code(404).type('text/html; charset=utf-8').send(NOT_FOUND_PAGE);
  });
}

/** Writes `{"status","message"}` with the given HTTP code. */
export function sendJsonError(
  reply: FastifyReply,
  httpStatus: number,
  status: string,
  message: string,
): FastifyReply {
  dropSeal(reply);
  return reply.code(httpStatus).type('application/json').send(JSON.stringify({ status, message }));
}

/** Errors are never encrypted: drop any seal a handler set before failing. */
function dropSeal(reply: FastifyReply): void {
  reply.request.seal = undefined;
}

/**
 * Logs an unexpected error by name, code and stack frames only: messages of parse errors can
 * quote request bytes (DII, tokens), so the message line is never logged.
 */
function logUnexpected(request: FastifyRequest, error: Error & { code?: string }): void {
  const frames = (error.stack ?? '').split('\n').slice(1, 8).join('\n');
  request.log.error({ errName: error.name, errCode: error.code, frames }, 'unexpected error');
}
