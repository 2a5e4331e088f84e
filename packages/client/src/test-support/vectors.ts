import { readFileSync } from 'node:fs';
import type { FetchLike } from '../internal/http-transport.js';

/** One vector of `test-vectors/*.json` (see the README of the shared vectors). */
export interface Vector {
  readonly title: string;
  readonly kind?: string;
  readonly input: VectorRecord;
  readonly expected: VectorRecord;
}

/** A JSON object of a vector, read through {@link pick}. */
export type VectorRecord = Readonly<Record<string, unknown>>;

/** Reads `record.a.b…` as the type the vector README documents for it. */
export function pick<T>(record: unknown, ...path: string[]): T {
  let value = record;
  for (const key of path) value = (value as VectorRecord | undefined)?.[key];
  return value as T;
}

/** Loads the vectors of a file in this package's `test-vectors/`. */
export function loadVectors(name: string): Vector[] {
  const url = new URL(`../../test-vectors/${name}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { vectors: Vector[] }).vectors;
}

/** A `random` that hands out the given hex strings in order (then fails). */
export function fixedRandom(...hex: string[]): (size: number) => Uint8Array {
  return (size) => {
    const next = hex.shift();
    if (next === undefined) throw new Error('no more fixed random bytes');
    const bytes = Buffer.from(next, 'hex');
    if (bytes.length !== size) throw new Error(`fixed random of ${bytes.length} bytes, asked ${size}`);
    return bytes;
  };
}

/** A fetch that answers every request with one body and records what was sent. */
export function answering(
  body: string,
  contentType = 'text/plain',
): { fetch: FetchLike; sent: (string | Uint8Array)[] } {
  const sent: (string | Uint8Array)[] = [];
  const fetch: FetchLike = (_url, init) => {
    sent.push(init.body as string | Uint8Array);
    return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': contentType } }));
  };
  return { fetch, sent };
}
