import { randomBytes } from 'node:crypto';
import {
  createCstgRequest,
  parsePrefixedKey,
  type CreatedCstgRequest,
  type CstgRequestBody,
} from '@uid2-operator/crypto-envelope';
import { diiHashOf } from '@uid2-operator/dii-normalize';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { patchTables, TEST_KEYPAIR, type Fixture } from './fixture.js';
import type { TestOperator } from './harness.js';
import { parseOrText } from './token-helpers.js';

/** base64 SHA-256 of `cstg.user@example.com`. */
export const CSTG_EMAIL_HASH = diiHashOf('email', 'raw', 'cstg.user@example.com')?.toString('base64') ?? '';
/** An `Origin` of the fixture's publisher site (registrable domain `example.com`). */
export const PUBLISHER_ORIGIN: Readonly<Record<string, string>> = { origin: 'https://www.example.com' };
/** Subscription of a keypair whose private key does not parse (see {@link addBrokenKeypair}). */
export const BROKEN_SUBSCRIPTION = 'brokenKey1';

const SERVER_PUBLIC_KEY = parsePrefixedKey(TEST_KEYPAIR.publicKey).der;

/** Adds a keypair for site 999 whose private key cannot be used (use inside `prepare`). */
export function addBrokenKeypair(fixture: Fixture): void {
  const broken = { ...TEST_KEYPAIR, subscriptionId: BROKEN_SUBSCRIPTION, privateKey: 'UID2-Y-L-AAAA' };
  patchTables(fixture, {
    keypairs: [...fixture.tables.keypairs, { ...broken, siteId: 999, disabled: false }],
  });
}

/**
 * A CSTG request to the fixture's keypair (`4WvryDGbR5`, site 999) with a fresh client key and IV,
 * as the SDKs build it: the body to post and the shared secret that opens the answer.
 */
export function cstgRequest(
  payload: Record<string, unknown> | string,
  options: { appName?: string; subscriptionId?: string } = {},
): CreatedCstgRequest {
  return createCstgRequest({
    serverPublicKey: SERVER_PUBLIC_KEY,
    clientPrivateKey: randomBytes(32),
    payload,
    timestampMs: 1_767_225_600_000,
    appName: options.appName ?? null,
    subscriptionId: options.subscriptionId ?? TEST_KEYPAIR.subscriptionId,
    iv: randomBytes(12),
  });
}

/**
 * Posts to `/v2/token/client-generate`: a string as is, an object as JSON, `undefined` as no body
 * at all (no Content-Length). Headers default to {@link PUBLISHER_ORIGIN}.
 */
export async function postCstg(
  operator: TestOperator,
  body: string | Record<string, unknown> | CstgRequestBody | undefined,
  headers: Record<string, string> = PUBLISHER_ORIGIN,
): Promise<LightMyRequestResponse> {
  return operator.app.inject({
    method: 'POST',
    url: '/v2/token/client-generate',
    headers: body === undefined ? headers : { 'content-type': 'text/plain', ...headers },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** Asserts an unencrypted `{"status","message"}` error answer with its HTTP code. */
export function expectApiError(
  response: LightMyRequestResponse,
  httpStatus: number,
  status: string,
  message: string,
): void {
  expect({ httpStatus: response.statusCode, body: parseOrText(response.body) }).toEqual({
    httpStatus,
    body: { status, message },
  });
}
