import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  CstgPayloadSchema,
  CstgRequestSchema,
  CstgResponseSchema,
  IdentityBucketsRequestSchema,
  IdentityMapV2RequestSchema,
  IdentityMapV2ResponseSchema,
  IdentityMapV3RequestSchema,
  KeyBidstreamResponseSchema,
  KeyRequestSchema,
  KeySharingResponseSchema,
  OptOutStatusRequestSchema,
  TokenGenerateRequestSchema,
  TokenGenerateResponseSchema,
  TokenRefreshRequestSchema,
  TokenRefreshResponseSchema,
  TokenValidateResponseSchema,
  parseBucketsRequest,
  parseCstgPayload,
  parseCstgRequest,
  parseGenerateRequest,
  parseIdentityMapV2Request,
  parseIdentityMapV3Request,
  parseOptOutStatusRequest,
  requireCstgCryptoFields,
} from './index.js';

interface Vector {
  title: string;
  kind?: string;
  input: Record<string, unknown>;
  expected: Record<string, unknown>;
}

function load(name: string): Vector[] {
  const file = JSON.parse(readFileSync(new URL(`../test-vectors/${name}`, import.meta.url), 'utf8'));
  return file.vectors as Vector[];
}

function ofKind(vectors: Vector[], kind: string): Vector[] {
  const found = vectors.filter((v) => v.kind === kind);
  expect(found.length).toBeGreaterThan(0);
  return found;
}

function expectParses(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  expect(result.error?.issues ?? []).toEqual([]);
}

describe('sharing-keys-response.json', () => {
  const vectors = ofKind(load('sharing-keys-response.json'), 'keys-response');

  it.each(vectors.map((v) => [v.title, v] as const))('%s parses with its key response schema', (_t, v) => {
    const json = JSON.parse(v.expected['responseJson'] as string);
    const sdk = v.expected['sdkParse'] as Record<string, unknown>;
    if (v.title.includes('/v2/key/bidstream')) {
      const parsed = KeyBidstreamResponseSchema.parse(json);
      expect(KeySharingResponseSchema.safeParse(json).success).toBe(false);
      expect(parsed.body.max_bidstream_lifetime_seconds).toBe(sdk.maxBidstreamLifetimeSeconds);
      expect(parsed.body.identity_scope).toBe(sdk.identityScope);
      expect(parsed.body.allow_clock_skew_seconds).toBe(sdk.allowClockSkewSeconds);
      expect(parsed.body.keys.map((k) => k.id)).toEqual(sdk.keyIds);
    } else {
      const parsed = KeySharingResponseSchema.parse(json);
      expect(KeyBidstreamResponseSchema.safeParse(json).success).toBe(false);
      expect(parsed.body.caller_site_id).toBe(sdk.callerSiteId);
      expect(parsed.body.master_keyset_id).toBe(sdk.masterKeysetId);
      expect(parsed.body.default_keyset_id).toBe(sdk.defaultKeysetId);
      expect(parsed.body.token_expiry_seconds).toBe(sdk.tokenExpirySeconds);
      expect(parsed.body.max_sharing_lifetime_seconds).toBe(sdk.maxSharingLifetimeSeconds);
      expect(parsed.body.identity_scope).toBe(sdk.identityScope);
      expect(parsed.body.keys.map((k) => k.id)).toEqual(sdk.keyIds);
    }
  });
});

describe('client-side-generate.json', () => {
  const vectors = load('client-side-generate.json');

  it.each(ofKind(vectors, 'cstg-request').map((v) => [v.title, v] as const))(
    '%s: the request body and its plaintext parse',
    (_t, v) => {
      const body = v.expected['requestBody'] as string;
      expectParses(CstgRequestSchema, JSON.parse(body));
      const result = parseCstgRequest(body);
      if (!result.ok) throw new Error(result.message);
      expect(result.value.timestamp).toBe(v.input['timestampMs'] ?? 0);
      expect(result.value.appName).toBe(v.input['appName'] ?? undefined);
      expect(result.value.subscriptionId).toBe(
        (v.input['serverKeypair'] as Record<string, unknown>)['subscriptionId'],
      );
      expect(requireCstgCryptoFields(result.value).ok).toBe(true);
      const plaintext = JSON.parse(v.input['plaintextJson'] as string);
      expectParses(CstgPayloadSchema, plaintext);
      expect(parseCstgPayload(plaintext).ok).toBe(true);
    },
  );

  it.each(ofKind(vectors, 'cstg-error').map((v) => [v.title, v] as const))(
    '%s: fails only after the top-level checks of this package',
    (_t, v) => {
      const result = parseCstgRequest(v.input['requestBody'] as string);
      if (!result.ok) throw new Error(result.message);
      // Their errors (subscription, app name, key, IV, decryption, inner JSON) are the operator's.
      expect(requireCstgCryptoFields(result.value).ok).toBe(true);
    },
  );

  it.each(ofKind(vectors, 'cstg-response').map((v) => [v.title, v] as const))('%s parses', (_t, v) => {
    expectParses(CstgResponseSchema, JSON.parse(v.input['responseJson'] as string));
  });
});

describe('refresh-token.json', () => {
  const vectors = load('refresh-token.json');

  it.each(ofKind(vectors, 'refresh-response').map((v) => [v.title, v] as const))('%s parses', (_t, v) => {
    expectParses(TokenRefreshResponseSchema, JSON.parse(v.input['responseJson'] as string));
  });

  it.each(ofKind(vectors, 'refresh-response-decode-only').map((v) => [v.title, v] as const))(
    '%s is accepted only without the legacy user_token field and V2 token',
    (_t, v) => {
      const json = JSON.parse(v.expected['responseJson'] as string);
      const strict = TokenRefreshResponseSchema.safeParse(json);
      if (json.status === 'optout') {
        expect(strict.success).toBe(true);
        return;
      }
      // An older operator's response: `user_token` and a standard-Base64 V2 token are outside this contract.
      expect(strict.success).toBe(false);
      expect(json.body.user_token).toBeTypeOf('string');
      expect(json.body.refresh_token).toHaveLength(388);
    },
  );

  it.each(ofKind(vectors, 'refresh-request-error').map((v) => [v.title, v] as const))(
    '%s is a refresh request body of the documented form',
    (_t, v) => {
      expectParses(TokenRefreshRequestSchema, v.input['requestBody']);
      expect(v.input['requestBody']).toHaveLength(388);
    },
  );
});

describe('envelope.json plaintext payloads', () => {
  const vectors = load('envelope.json');

  it.each(ofKind(vectors, 'request-envelope').map((v) => [v.title, v] as const))(
    '%s: the request JSON passes its schema and parser',
    (_t, v) => {
      const text = v.input['payloadJson'] as string;
      const payload: unknown = text === '' ? null : JSON.parse(text);
      const title = v.title;
      if (payload === null) {
        expectParses(KeyRequestSchema, payload);
      } else if (title.includes('/v2/identity/map')) {
        expectParses(IdentityMapV2RequestSchema, payload);
        expect(parseIdentityMapV2Request(payload).ok).toBe(true);
      } else if (title.includes('/v3/identity/map')) {
        expectParses(IdentityMapV3RequestSchema, payload);
        expect(parseIdentityMapV3Request(payload).ok).toBe(true);
      } else if (title.includes('/v2/optout/status')) {
        expectParses(OptOutStatusRequestSchema, payload);
        expect(parseOptOutStatusRequest(payload).ok).toBe(true);
      } else if (title.includes('/v2/identity/buckets')) {
        expectParses(IdentityBucketsRequestSchema, payload);
        expect(parseBucketsRequest(payload).ok).toBe(true);
      } else {
        expectParses(TokenGenerateRequestSchema, payload);
        expect(parseGenerateRequest(payload).ok).toBe(true);
      }
    },
  );

  const responses = [
    ...ofKind(vectors, 'response-envelope'),
    ...ofKind(vectors, 'response-envelope-client-error'),
  ];
  it.each(responses.map((v) => [v.title, v] as const))('%s: the response JSON passes its schema', (_t, v) => {
    const payload = JSON.parse(v.input['payloadJson'] as string);
    const title = v.title;
    if (title.includes('/v2/token/validate')) expectParses(TokenValidateResponseSchema, payload);
    else if (title.includes('/v2/identity/map')) expectParses(IdentityMapV2ResponseSchema, payload);
    else if (title.startsWith('Key endpoint')) expectParses(KeyBidstreamResponseSchema, payload);
    else expectParses(TokenGenerateResponseSchema, payload);
  });
});
