import { randomBytes } from 'node:crypto';
import { sealRequestEnvelope } from '@uid2-operator/crypto-envelope';
import type { HttpRequest } from '../lib/http-client.js';
import type { BodySpec, FuzzCase } from './case-types.js';

const WRONG_SECRET = Buffer.alloc(32, 0x77);

function envelopeBytes(body: Extract<BodySpec, { kind: 'envelope' }>, secret: Buffer): Buffer {
  let bytes = sealRequestEnvelope({
    secret: body.wrongSecret ? WRONG_SECRET : secret,
    timestampMs: Math.trunc(Date.now() + body.tsOffsetMs),
    nonce: randomBytes(8),
    payload: body.json ?? undefined,
    iv: randomBytes(12),
  });
  const m = body.mutation;
  if (m !== undefined) {
    const at = m.at % (bytes.length + 1);
    if (m.op === 'cut') bytes = bytes.subarray(0, at);
    else if (m.op === 'insert')
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.of(m.byte), bytes.subarray(at)]);
    else if (m.op === 'version') bytes[0] = m.byte === 1 ? 2 : m.byte;
    else if (at < bytes.length) bytes[at] = (bytes[at] ?? 0) ^ (m.byte | 1);
  }
  return bytes;
}

/**
 * Turns a fuzz case into the request to send now: envelopes are sealed at this moment (fresh
 * timestamp plus the case's offset), `{KEY}` becomes the dev API key.
 */
export function materialize(c: FuzzCase, credentials: { apiKey: string; secret: Buffer }): HttpRequest {
  const headers: Record<string, string> = { ...c.headers };
  if (c.auth !== undefined) headers.authorization = c.auth.replaceAll('{KEY}', credentials.apiKey);
  let body: Buffer | string | undefined;
  if (c.body.kind === 'raw') body = c.body.bytes;
  else if (c.body.kind === 'envelope') {
    const bytes = envelopeBytes(c.body, credentials.secret);
    body = c.body.binary ? bytes : bytes.toString('base64');
  }
  const headerBytes = Object.entries(headers).reduce(
    (sum, [name, value]) => sum + name.length + value.length,
    0,
  );
  const isolated = c.family === 'oversize' || headers.expect !== undefined || headerBytes > 8192;
  return { method: c.method, path: c.path, headers, body, framing: c.framing, isolated };
}

/** A failing case as printed in the report: no API key, secret or envelope bytes; payloads shortened. */
export function describeCase(c: FuzzCase): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(c.headers))
    headers[name] = value.length > 80 ? `${value.slice(0, 80)}… (${value.length} chars)` : value;
  if (c.auth !== undefined) headers.authorization = c.auth.replaceAll('{KEY}', '<dev API key>').slice(0, 80);
  let body: unknown;
  if (c.body.kind === 'none') body = '(no body, no framing)';
  else if (c.body.kind === 'raw') body = shorten(c.body.bytes);
  else body = { envelope: { ...c.body, json: c.body.json === null ? null : shorten(c.body.json) } };
  return {
    family: c.family,
    note: c.note,
    method: c.method,
    path: c.path.slice(0, 120),
    headers,
    framing: c.framing,
    body,
  };
}

function shorten(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.length > 400 ? `${text.slice(0, 300)}… (${bytes.length} bytes) …${text.slice(-60)}` : text;
}
