import {
  ErrorMessage,
  parseCstgPayload,
  parseCstgRequest,
  requireCstgCryptoFields,
  type ParsedCstgRequest,
} from '@uid2-operator/api-contracts';
import { openCstgRequest } from '@uid2-operator/crypto-envelope';
import { PRIVACY_BITS_FOR_CLIENT_SIDE } from '@uid2-operator/token-core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, clientError } from '../errors.js';
import { registrableDomainOfOrigin } from '../lib/origin.js';
import { rawBody } from '../plugins/body.js';
import type { CstgKeypair } from '../state/cstg-keypairs.js';
import type { SiteInfo } from '../state/state-source.js';
import type { RouteDeps } from './deps.js';
import { diiHashOrThrow, generateForIdentity, valueOrThrow } from './shared.js';

/**
 * The raw body, or `null` when the request had none at all (neither `Content-Length` nor
 * `Transfer-Encoding`, spec/api.md §2.1). Fastify skips body reading for `Content-Length: 0`
 * without a Content-Type, which the reference still reads as an empty body (§6.4 row 1, not row 2).
 */
function bodyOf(request: FastifyRequest): Buffer | null {
  const body = rawBody(request.body);
  if (body !== undefined) return body;
  const { headers } = request;
  return headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined
    ? Buffer.alloc(0)
    : null;
}

/** Java `equalsIgnoreCase` for the app-name check. */
function sameIgnoringCase(a: string, b: string): boolean {
  return (
    a.length === b.length && (a.toUpperCase() === b.toUpperCase() || a.toLowerCase() === b.toLowerCase())
  );
}

/**
 * §6.4 step 5: with `app_name`, it must match one of the site's app names (case-insensitive; an
 * empty name never matches); without it, the registrable domain of `Origin` must be one of the
 * site's domain names.
 * @throws ApiError 403 `invalid_app_name` / `invalid_http_origin`
 */
function checkOrigin(
  site: SiteInfo | undefined,
  appName: string | undefined,
  origin: string | undefined,
): void {
  if (appName !== undefined) {
    const known = appName !== '' && (site?.appNames ?? []).some((name) => sameIgnoringCase(name, appName));
    if (!known) throw new ApiError('invalid_app_name', ErrorMessage.CstgUnexpectedAppName);
    return;
  }
  const domain = registrableDomainOfOrigin(origin);
  if (domain === undefined || !(site?.domainNames ?? []).includes(domain)) {
    throw new ApiError('invalid_http_origin', ErrorMessage.CstgUnexpectedOrigin);
  }
}

/** §6.4 steps 3–4: the keypair of `subscription_id`. */
function keypairOf(deps: RouteDeps, request: ParsedCstgRequest): CstgKeypair {
  const keypair =
    request.subscriptionId === undefined
      ? undefined
      : deps.state.snapshot.keypairs.get(request.subscriptionId);
  if (keypair === undefined) throw clientError(ErrorMessage.CstgBadSubscriptionId);
  if (keypair.disabled) throw new ApiError('unauthorized', ErrorMessage.CstgUnauthorized);
  return keypair;
}

/**
 * `POST /v2/token/client-generate` (spec/api.md §3.4, §6.4; spec/internals.md §5.2): client-side
 * token generation. No API key; a plain JSON body whose `payload` is AES-GCM encrypted with the
 * P-256 ECDH secret between the client's ephemeral key and the subscription's server key. Checks in
 * the reference order: body → subscription → disabled keypair (401) → app name / Origin (403,
 * unless `cstgDomainNameCheck` is off) → crypto fields → public key → IV → decryption → inner JSON →
 * identity hash. Tokens belong to the keypair's site with privacy bits 3. The 200 answer
 * (`success` or `optout`) is base64 of `GCM(shared secret, JSON)`.
 *
 * Registered only when `clientSideTokenGenerate` is on; otherwise the path is a 404.
 */
export function registerTokenClientGenerate(app: FastifyInstance, deps: RouteDeps): void {
  const { config } = deps;
  if (!config.clientSideTokenGenerate) return;
  app.post(
    '/v2/token/client-generate',
    {
      config: {
        uid2: {
          auth: 'none',
          encrypted: false,
          metric: 'token_client_generate',
          unknownErrorMessage: ErrorMessage.CstgUnknown,
        },
      },
    },
    (request) => {
      const parsed = valueOrThrow(parseCstgRequest(bodyOf(request)));
      const keypair = keypairOf(deps, parsed);
      if (config.cstgDomainNameCheck) {
        checkOrigin(deps.state.snapshot.sites.get(keypair.siteId), parsed.appName, request.headers.origin);
      }
      const fields = valueOrThrow(requireCstgCryptoFields(parsed));
      // Beyond 2^53 the timestamp cannot be bound into the AAD exactly as the client wrote it.
      if (!Number.isSafeInteger(parsed.timestamp)) throw clientError(ErrorMessage.CstgDecryptionFailed);
      if (keypair.serverKey === undefined) throw new Error('the CSTG keypair has an unusable private key');
      const opened = openCstgRequest(keypair.serverKey, {
        ...fields,
        timestamp: parsed.timestamp,
        appName: parsed.appName,
      });
      request.seal = { kind: 'cstg', key: opened.sharedSecret };

      const identity = valueOrThrow(parseCstgPayload(opened.payload, { phoneSupport: config.phoneSupport }));
      const diiHash = diiHashOrThrow(identity.type, 'hash', identity.value);
      return generateForIdentity(deps, {
        type: identity.type,
        diiHash,
        siteId: keypair.siteId,
        privacyBits: PRIVACY_BITS_FOR_CLIENT_SIDE,
      });
    },
  );
}
