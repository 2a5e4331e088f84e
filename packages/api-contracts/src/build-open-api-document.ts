import { createDocument } from 'zod-openapi';
import { operatorPaths } from './internal/openapi-paths.js';

/** The OpenAPI 3.1 document object returned by {@link buildOpenApiDocument}. */
export type OpenApiDocument = ReturnType<typeof createDocument>;

/** Options of {@link buildOpenApiDocument}. */
export interface OpenApiDocumentOptions {
  /** Base URL listed under `servers`, e.g. `https://operator.example.com`; omitted when absent. */
  readonly serverUrl?: string;
}

/**
 * Builds the OpenAPI 3.1 document of the operator's public HTTP API (spec/api.md §1) from the zod
 * schemas of this package, through `zod-openapi`'s `createDocument`: every POST route plus
 * `GET /ops/healthcheck`, their error responses, and reusable components (`#/components/...`).
 * Encrypted endpoints are documented by their plaintext JSON; each request/response description
 * states the envelope (§3.1–§3.4). The result is a fresh plain, JSON-serializable object.
 * Throws only if the schemas themselves are inconsistent (a programming error).
 */
export function buildOpenApiDocument(options: OpenApiDocumentOptions = {}): OpenApiDocument {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'UID2 Operator API',
      version: '2',
      description:
        'Public HTTP API of a UID2 operator, byte-compatible with the official UID2 SDKs. ' +
        'Errors are never encrypted: they are JSON `{"status","message"}` bodies (spec/api.md §2.5).',
    },
    ...(options.serverUrl === undefined ? {} : { servers: [{ url: options.serverUrl }] }),
    tags: [
      {
        name: 'token',
        description: 'Token generation, refresh, validation and logout (spec/api.md §6, §10.1).',
      },
      { name: 'identity', description: 'Identity map and salt buckets (spec/api.md §7).' },
      { name: 'optout', description: 'Opt-out status (spec/api.md §8).' },
      { name: 'key', description: 'SDK key download (spec/api.md §9).' },
      { name: 'ops', description: 'Operations (spec/api.md §10.2).' },
    ],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'Operator API key: `Authorization: Bearer <api-key>` (spec/api.md §2.2).',
        },
      },
    },
    paths: operatorPaths(),
  });
}
