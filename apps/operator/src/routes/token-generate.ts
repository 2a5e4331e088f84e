import { parseGenerateRequest } from '@uid2-operator/api-contracts';
import { PRIVACY_BITS_FOR_GENERATE } from '@uid2-operator/token-core';
import type { FastifyInstance } from 'fastify';
import { checkTcfConsent } from '../services/tcf-consent.js';
import type { RouteDeps } from './deps.js';
import {
  diiHashOrThrow,
  encryptedRequest,
  generateAnswerJson,
  generateForIdentity,
  valueOrThrow,
} from './shared.js';

/**
 * `POST /v2/token/generate` (spec/api.md §6.1, spec/internals.md §7.2): one DII in, an advertising
 * token, a refresh token and their expiries out; `optout` for opted-out identities; EUID checks TCF
 * consent first.
 */
export function registerTokenGenerate(app: FastifyInstance, deps: RouteDeps): void {
  const { config } = deps;
  app.post(
    '/v2/token/generate',
    {
      config: {
        uid2: {
          auth: 'required',
          roles: ['GENERATOR'],
          encrypted: true,
          metric: 'token_generate',
          unknownErrorMessage: 'Unknown error while generating token v2',
        },
      },
    },
    (request, reply) => {
      const { envelope, client } = encryptedRequest(request);
      const { identity, tcfConsentString } = valueOrThrow(
        parseGenerateRequest(envelope.payload, { phoneSupport: config.phoneSupport }),
      );
      const diiHash = diiHashOrThrow(identity.type, identity.form, identity.value);
      if (config.identityScope === 'EUID' && tcfConsentString !== undefined) {
        if (checkTcfConsent(tcfConsentString, config.tcfVendorId) === 'insufficient') {
          return { status: 'insufficient_user_consent' };
        }
      }
      // Pre-serialized (identical to JSON.stringify); the envelope onSend hook seals the text.
      return reply.send(
        generateAnswerJson(
          generateForIdentity(deps, {
            type: identity.type,
            diiHash,
            siteId: client.siteId,
            privacyBits: PRIVACY_BITS_FOR_GENERATE,
          }),
        ),
      );
    },
  );
}
