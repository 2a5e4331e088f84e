import { type JsonObject, openRequestEnvelope, sealResponseEnvelope } from '@uid2-operator/crypto-envelope';
import type { FetchLike } from '../internal/http-transport.js';

/** What a fake route answers: a JSON object sealed in the response envelope, or a raw HTTP answer. */
export type FakeAnswer =
  | { readonly sealed: unknown }
  | {
      readonly status: number;
      readonly body?: string | Uint8Array;
      readonly contentType?: string;
      readonly headers?: Record<string, string>;
    }
  | { readonly networkError: true };

/** One request the fake operator saw. */
export interface FakeCall {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array;
  /** The decrypted request payload, for encrypted routes. */
  readonly payload: JsonObject | null | undefined;
}

/** A route: gets the decrypted payload (or `undefined` for a plain route) and the call. */
export type FakeRoute = (
  payload: JsonObject | null | undefined,
  call: FakeCall,
) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeOperatorOptions {
  readonly secret: Uint8Array;
  readonly nowMs?: number;
  /** Routes whose request body is a v2 envelope. */
  readonly encrypted?: Record<string, FakeRoute>;
  /** Routes read as plain bodies (refresh, client-generate). */
  readonly plain?: Record<string, FakeRoute>;
}

/**
 * A `fetch` double that behaves like the operator's envelope layer: opens request envelopes with
 * the client secret (text or binary) and seals 200 answers echoing the nonce.
 */
export function fakeOperator(options: FakeOperatorOptions): {
  readonly fetch: FetchLike;
  readonly calls: FakeCall[];
} {
  const calls: FakeCall[] = [];
  const nowMs = options.nowMs ?? 1_767_225_600_000;
  let ivCounter = 0;
  const fetch: FetchLike = async (url, init) => {
    const path = new URL(url).pathname;
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const body = init.body as string | Uint8Array;
    const binary = headers['content-type'] === 'application/octet-stream';
    const encryptedRoute = options.encrypted?.[path];
    const plainRoute = options.plain?.[path];
    if (encryptedRoute !== undefined) {
      const opened = openRequestEnvelope(body, { secret: options.secret, nowMs, binary });
      const call = { path, headers, body, payload: opened.payload };
      calls.push(call);
      const answer = await encryptedRoute(opened.payload, call);
      if ('sealed' in answer) {
        const iv = Buffer.alloc(12);
        iv.writeUInt32BE(++ivCounter, 8);
        const sealed = sealResponseEnvelope({
          secret: options.secret,
          nowMs,
          nonce: opened.nonce,
          json: JSON.stringify(answer.sealed),
          iv,
        });
        return opened.mode === 'binary'
          ? new Response(sealed, { status: 200, headers: { 'content-type': 'application/octet-stream' } })
          : new Response(sealed.toString('base64'), {
              status: 200,
              headers: { 'content-type': 'text/plain' },
            });
      }
      return rawAnswer(answer);
    }
    if (plainRoute !== undefined) {
      const call = { path, headers, body, payload: undefined };
      calls.push(call);
      return rawAnswer(await plainRoute(undefined, call));
    }
    calls.push({ path, headers, body, payload: undefined });
    return new Response('<html><body><h1>Resource not found</h1></body></html>', { status: 404 });
  };
  return { fetch, calls };
}

function rawAnswer(answer: FakeAnswer): Response {
  if ('networkError' in answer) throw new TypeError('fetch failed');
  if ('sealed' in answer) throw new Error('sealed answers need an encrypted route');
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.contentType !== undefined) headers['content-type'] = answer.contentType;
  return new Response(answer.body ?? null, { status: answer.status, headers });
}

/** A deterministic `random` for tests: bytes 0, 1, 2, … wrapping at 256. */
export function countingRandom(): (size: number) => Uint8Array {
  let next = 1;
  return (size) => {
    const out = Buffer.alloc(size);
    for (let i = 0; i < size; i++) out[i] = next++ & 0xff;
    if (out.every((b) => b === 0)) out[size - 1] = 1;
    return out;
  };
}

/** The base64 client secret most tests use (from test-vectors/envelope.json). */
export const TEST_SECRET_BASE64 = 'ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo=';
