import type { ParseResult } from '@uid2-operator/api-contracts';
import { diiHashOf, type DiiInputForm } from '@uid2-operator/dii-normalize';
import { mapIdentity, type MappedIdentity } from '@uid2-operator/salt-buckets';
import type { FastifyRequest } from 'fastify';
import type { ApiClient } from '../state/api-keys.js';
import { ApiError, clientError } from '../errors.js';
import type { OpenedEnvelope } from '../plugins/route-config.js';
import { issueTokens, type IdentityTokens } from '../services/token-issuer.js';
import type { RouteDeps } from './deps.js';

/** `Invalid Identifier` (spec/api.md §6.1). */
export const INVALID_IDENTIFIER = 'Invalid Identifier';

/** The parsed value, or the parser's exact 400 answer thrown as an {@link ApiError}. */
export function valueOrThrow<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new ApiError(result.status, result.message, result.httpStatus);
  return result.value;
}

/** The opened envelope and authenticated client of an encrypted route (set by the hooks). */
export function encryptedRequest(request: FastifyRequest): { envelope: OpenedEnvelope; client: ApiClient } {
  const { envelope, client } = request;
  if (envelope === undefined || client === undefined)
    throw new Error('encrypted route without an opened envelope');
  return { envelope, client };
}

/**
 * Normalizes and hashes one DII (spec/api.md §5.1-5.3).
 * @throws ApiError 400 `client_error` `Invalid Identifier`
 */
export function diiHashOrThrow(type: 'email' | 'phone', form: DiiInputForm, value: string): Buffer {
  const hash = diiHashOf(type, form, value);
  if (hash === null) throw clientError(INVALID_IDENTIFIER);
  return hash;
}

/** Maps identity bytes against the current salts as of `nowMs` (spec/api.md §5.4). */
export function mapOne(
  deps: RouteDeps,
  type: 'email' | 'phone',
  diiHash: Uint8Array,
  nowMs: number,
): MappedIdentity {
  return mapIdentity(diiHash, deps.state.salts, {
    scope: deps.config.identityScope,
    type,
    environment: deps.config.identityEnvironment,
    identityV3: deps.config.identityV3,
    nowMs,
  });
}

/** Answer of {@link generateForIdentity}: new tokens, or `optout` (spec/api.md §6.1, §6.4). */
export type GenerateAnswer =
  { readonly status: 'optout' } | { readonly status: 'success'; readonly body: IdentityTokens };

/**
 * The shared tail of `/v2/token/generate` and `/v2/token/client-generate`: map the identity with
 * the current salts, answer `optout` for opted-out identities, otherwise issue a token set for
 * `siteId` established now (spec/internals.md §7.2 steps 3-8).
 * @throws ApiError 500 `unknown` `No active encryption key available`
 */
export function generateForIdentity(
  deps: RouteDeps,
  input: {
    readonly type: 'email' | 'phone';
    readonly diiHash: Uint8Array;
    readonly siteId: number;
    readonly privacyBits: number;
  },
): GenerateAnswer {
  const now = deps.now();
  const mapped = mapOne(deps, input.type, input.diiHash, now);
  const check = { scope: deps.config.identityScope, type: input.type, forRefresh: false } as const;
  if (deps.state.policy.isOptedOut(mapped.firstLevelHash, check)) return { status: 'optout' };
  const body = issueTokens(
    {
      type: input.type,
      firstLevelHash: mapped.firstLevelHash,
      rawUid: mapped.rawUid,
      siteId: input.siteId,
      privacyBits: input.privacyBits,
      establishedMs: now,
      nowMs: now,
    },
    { keyRing: deps.state.snapshot.keyRing, config: deps.config, random: deps.random },
  );
  return { status: 'success', body };
}

/**
 * `JSON.stringify` of a {@link GenerateAnswer}, byte for byte, built by concatenation: every token
 * and key is base64 or base64url and every time an integer, so nothing needs escaping, and the
 * generic serializer walk showed in the token/generate profile.
 */
export function generateAnswerJson(answer: GenerateAnswer): string {
  if (answer.status !== 'success') return JSON.stringify(answer);
  const b = answer.body;
  return (
    `{"status":"success","body":{"advertising_token":"${b.advertising_token}",` +
    `"refresh_token":"${b.refresh_token}","identity_expires":${b.identity_expires},` +
    `"refresh_expires":${b.refresh_expires},"refresh_from":${b.refresh_from},` +
    `"refresh_response_key":"${b.refresh_response_key}"}}`
  );
}
