import { z } from 'zod';
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import { ErrorBodySchema } from '../status.js';
import { ENVELOPE_ERRORS, errorList } from './openapi-notes.js';

/** One status/message pair of an error response. */
export type ErrorEntry = readonly [status: string, message: string];

const plainText = (description: string, example: string) => ({
  'text/plain': { schema: z.string().meta({ description, example }) },
});

/** 401 of the API-key check: exactly `{"status":"unauthorized"}` (spec/api.md §2.2). */
export const UNAUTHORIZED: ZodOpenApiResponseObject = {
  id: 'Unauthorized',
  description:
    'API key missing, unknown, disabled or without an accepted role: body exactly `{"status":"unauthorized"}` (spec/api.md §2.2).',
  content: { 'application/json': { schema: ErrorBodySchema, example: { status: 'unauthorized' } } },
};

/** 413 for a body above 1 MiB (spec/api.md §2.1). */
export const PAYLOAD_TOO_LARGE: ZodOpenApiResponseObject = {
  id: 'PayloadTooLarge',
  description: 'Body larger than 1,048,576 bytes on the wire (spec/api.md §2.1).',
  content: plainText('Reason phrase.', 'Request Entity Too Large'),
};

/** Builds a JSON error response whose description lists the exact status/message pairs. */
export function jsonError(title: string, entries: readonly ErrorEntry[]): ZodOpenApiResponseObject {
  return {
    description: errorList(title, entries),
    content: { 'application/json': { schema: ErrorBodySchema } },
  };
}

/** 400 of an encrypted endpoint: the handler's messages plus the envelope messages of §3.1. */
export function encryptedClientError(entries: readonly ErrorEntry[]): ZodOpenApiResponseObject {
  const envelope = ENVELOPE_ERRORS.map((message): ErrorEntry => ['client_error', message]);
  return jsonError('Bad request (spec/api.md §2.5). Handler messages, then the envelope messages of §3.1:', [
    ...entries,
    ...envelope,
  ]);
}

/** 500: JSON `unknown` bodies and/or the plain-text `Internal Server Error` (spec/api.md §2.5). */
export function serverError(entries: readonly ErrorEntry[]): ZodOpenApiResponseObject {
  const all: ErrorEntry[] = [...entries, ['error', '(empty) — sealing the 200 response failed']];
  return {
    description: `${errorList('Server error (spec/api.md §2.5):', all)}\n\nSome failures answer plain text \`Internal Server Error\` instead.`,
    content: {
      'application/json': { schema: ErrorBodySchema },
      ...plainText('Reason phrase.', 'Internal Server Error'),
    },
  };
}

/** The responses every Bearer-authenticated encrypted endpoint shares. */
export function encryptedResponses(
  success: ZodOpenApiResponseObject,
  clientErrors: readonly ErrorEntry[],
  serverErrors: readonly ErrorEntry[],
  extra: ZodOpenApiResponsesObject = {},
): ZodOpenApiResponsesObject {
  return {
    '200': success,
    '400': encryptedClientError(clientErrors),
    '401': UNAUTHORIZED,
    '413': PAYLOAD_TOO_LARGE,
    '500': serverError(serverErrors),
    ...extra,
  };
}
