import { openCstgResponse, openRefreshResponse } from '@uid2-operator/crypto-envelope';
import type { ClientSideTokenRequest } from '../client-side-token.js';
import type { TokenGenerateResult, TokenRefreshResult } from '../types.js';
import type { HttpTransport } from './http-transport.js';
import { decodeKey, isJson, openPlain } from './response-body.js';
import { generateResult, refreshResult } from './results-wire.js';
import { parseObject } from './wire.js';

/** Settings of a call whose request body is not a v2 envelope. */
export interface PlainCallOptions {
  readonly binary: boolean;
  readonly signal?: AbortSignal | undefined;
}

/**
 * `/v2/token/refresh` (spec/api.md §6.2, §3.3): the refresh token as the body, the answer
 * decrypted with the refresh response key, or read as is when the operator answers with plain
 * JSON (its legacy path for tokens that are not 388 characters long).
 */
export async function refreshCall(
  transport: HttpTransport,
  apiKey: string | undefined,
  tokens: { readonly refreshToken: string; readonly refreshResponseKey: string },
  options: PlainCallOptions,
): Promise<TokenRefreshResult> {
  const key = decodeKey(tokens.refreshResponseKey, 'refreshResponseKey');
  const headers: Record<string, string> = {
    'content-type': options.binary ? 'application/octet-stream' : 'text/plain',
  };
  if (apiKey !== undefined) headers['authorization'] = `Bearer ${apiKey}`;
  const response = await transport.post({
    path: '/v2/token/refresh',
    headers,
    signal: options.signal,
    body: () => tokens.refreshToken,
  });
  if (isJson(response)) return refreshResult(parseObject(response.body));
  return refreshResult(parseObject(openPlain(response, (blob) => openRefreshResponse(key, blob))));
}

/** `/v2/token/client-generate` (spec/api.md §6.4): a JSON body, the answer opened with the ECDH secret. */
export async function clientSideCall(
  transport: HttpTransport,
  request: ClientSideTokenRequest,
  origin: string | undefined,
  signal: AbortSignal | undefined,
): Promise<TokenGenerateResult> {
  const headers: Record<string, string> = { 'content-type': 'text/plain' };
  if (origin !== undefined) headers['origin'] = origin;
  const response = await transport.post({
    path: '/v2/token/client-generate',
    headers,
    signal,
    body: () => request.body,
  });
  return generateResult(
    parseObject(openPlain(response, (blob) => openCstgResponse(request.sharedSecret, blob))),
  );
}
