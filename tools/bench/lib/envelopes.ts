import { randomBytes } from 'node:crypto';
import { openResponseEnvelope, sealRequestEnvelope } from '@uid2-operator/crypto-envelope';
import type { JsonObject } from '@uid2-operator/crypto-envelope';

/**
 * A fresh v2 request envelope (spec/api.md §3.1) as base64 text: timestamp = now, random nonce
 * and IV, sealed with the client secret by `@uid2-operator/crypto-envelope`. `payload` may be
 * pre-serialized JSON text (large requests serialize once per trial).
 */
export function sealBase64Envelope(secret: Uint8Array, payload: JsonObject | string): string {
  return sealRequestEnvelope({
    secret,
    timestampMs: Date.now(),
    nonce: randomBytes(8),
    iv: randomBytes(12),
    payload,
  }).toString('base64');
}

/** What a probe learned from one real request. */
export interface ProbeOutcome {
  /** HTTP status. */
  readonly http: number;
  /** The decrypted JSON of a 200 answer, or undefined. */
  readonly json: unknown;
  /** A plain-text / JSON error body of a non-200 answer, cut to 200 characters. */
  readonly error: string | undefined;
}

/**
 * Sends one request (`fetch`) and opens the response envelope with the client secret.
 * Used before each goal to check the route exists and answers `success` for the bench's data.
 */
export async function probeEncrypted(input: {
  url: string;
  apiKey: string;
  secret: Uint8Array;
  body: string;
}): Promise<ProbeOutcome> {
  const response = await fetch(input.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${input.apiKey}`, 'content-type': 'text/plain' },
    body: input.body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status !== 200) return { http: response.status, json: undefined, error: text.slice(0, 200) };
  const opened = openResponseEnvelope({ secret: input.secret, envelope: text });
  return { http: 200, json: JSON.parse(opened.json.toString('utf8')) as unknown, error: undefined };
}
