import { randomBytes } from 'node:crypto';
import {
  createCstgRequest,
  openCstgResponse,
  openRefreshResponse,
  openResponseEnvelope,
  parsePrefixedKey,
  sealRequestEnvelope,
} from '@uid2-operator/crypto-envelope';
import type { HttpClient, HttpResponse } from './http-client.js';

/** An API client's credentials: the bearer key and the base64 envelope secret. */
export interface ClientCredentials {
  readonly apiKey: string;
  readonly secret: string;
}

/** A call's answer: the HTTP response and, for a 200, the decrypted JSON. */
export interface Uid2Answer {
  readonly response: HttpResponse;
  /** Decrypted body of a 200, or the plain JSON error body, or `undefined`. */
  readonly json: { status?: string; body?: unknown; message?: string } | undefined;
}

/** The identity fields of generate/refresh/CSTG success bodies. */
export interface IssuedTokens {
  readonly advertising_token: string;
  readonly refresh_token: string;
  readonly refresh_response_key: string;
}

function plainJson(response: HttpResponse): Uid2Answer['json'] {
  try {
    return JSON.parse(response.body.toString('utf8')) as Uid2Answer['json'];
  } catch {
    return undefined;
  }
}

/**
 * The harness's UID2 client: seals request envelopes with the client secret and a fresh
 * timestamp, opens 200 responses, and knows the refresh and CSTG shapes (spec/api.md §3).
 */
export class Uid2Client {
  private readonly secret: Buffer;

  constructor(
    readonly http: HttpClient,
    readonly credentials: ClientCredentials,
  ) {
    this.secret = Buffer.from(credentials.secret, 'base64');
  }

  /** Seals `payload` (object, JSON text/bytes, or `undefined` for no JSON) into a base64 envelope. */
  seal(
    payload: object | string | Buffer | undefined,
    timestampMs = Date.now(),
  ): { body: Buffer; nonce: Buffer } {
    const nonce = randomBytes(8);
    const body = sealRequestEnvelope({
      secret: this.secret,
      timestampMs,
      nonce,
      payload: payload as Parameters<typeof sealRequestEnvelope>[0]['payload'],
      iv: randomBytes(12),
    });
    return { body, nonce };
  }

  /** POSTs an encrypted request and decrypts a 200 answer. */
  async call(
    path: string,
    payload: object | undefined,
    options: { apiKey?: string } = {},
  ): Promise<Uid2Answer> {
    const { body, nonce } = this.seal(payload);
    const response = await this.http.send({
      method: 'POST',
      path,
      headers: {
        authorization: `Bearer ${options.apiKey ?? this.credentials.apiKey}`,
        'content-type': 'text/plain',
      },
      body: body.toString('base64'),
    });
    if (response.status !== 200) return { response, json: plainJson(response) };
    const opened = openResponseEnvelope({
      secret: this.secret,
      envelope: response.body.toString('utf8'),
      expectedNonce: nonce,
    });
    return { response, json: JSON.parse(opened.json.toString('utf8')) as Uid2Answer['json'] };
  }

  /** `/v2/token/generate`; returns the answer and the tokens when `success`. */
  async generate(payload: object): Promise<Uid2Answer & { tokens?: IssuedTokens }> {
    const answer = await this.call('/v2/token/generate', payload);
    return answer.json?.status === 'success'
      ? { ...answer, tokens: answer.json.body as IssuedTokens }
      : answer;
  }

  /** `/v2/token/refresh` with a refresh token; decrypts a 200 with its response key. */
  async refresh(
    tokens: Pick<IssuedTokens, 'refresh_token' | 'refresh_response_key'>,
    apiKey?: string,
  ): Promise<Uid2Answer> {
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
    const response = await this.http.send({
      method: 'POST',
      path: '/v2/token/refresh',
      headers,
      body: tokens.refresh_token,
    });
    if (response.status !== 200) return { response, json: plainJson(response) };
    const key = Buffer.from(tokens.refresh_response_key, 'base64');
    const json = openRefreshResponse(key, response.body.toString('utf8'));
    return { response, json: JSON.parse(json.toString('utf8')) as Uid2Answer['json'] };
  }
}

/** Builds a valid `/v2/token/client-generate` body for the dev site and the key to open its answer. */
export function cstgBody(options: {
  publicKey: string;
  subscriptionId: string;
  payload: object | string;
  appName?: string;
  timestampMs?: number;
}): { body: Record<string, unknown>; sharedSecret: Buffer } {
  const created = createCstgRequest({
    serverPublicKey: parsePrefixedKey(options.publicKey).der,
    clientPrivateKey: randomBytes(32),
    payload: options.payload as Parameters<typeof createCstgRequest>[0]['payload'],
    timestampMs: options.timestampMs ?? Date.now(),
    appName: options.appName ?? null,
    subscriptionId: options.subscriptionId,
    iv: randomBytes(12),
  });
  return { body: { ...created.body }, sharedSecret: created.sharedSecret };
}

/** Decrypts a CSTG 200 answer. */
export function openCstg(sharedSecret: Buffer, response: HttpResponse): Uid2Answer['json'] {
  return JSON.parse(
    openCstgResponse(sharedSecret, response.body.toString('utf8')).toString('utf8'),
  ) as Uid2Answer['json'];
}
