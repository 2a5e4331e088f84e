import { readFileSync } from 'node:fs';
import type { EncryptionKey } from '../types.js';

/** One test vector of `test-vectors/*.json` (see the README there). */
export interface Vector<I = unknown, E = unknown> {
  title: string;
  kind: string;
  input: I;
  expected: E;
}

/** Loads the vectors of a file in this package's `test-vectors/`. */
export function loadVectors(name: string): Vector[] {
  const url = new URL(`../../test-vectors/${name}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { vectors: Vector[] }).vectors;
}

/** The vectors of one kind as `[title, vector]` rows for `it.each`. */
export function ofKind<I, E>(vectors: Vector[], kind: string): [string, Vector<I, E>][] {
  return vectors.filter((v) => v.kind === kind).map((v) => [v.title, v as Vector<I, E>]);
}

/** A key as the vectors write it (times in seconds, secret base64). */
export interface VectorKey {
  id: number;
  secretBase64: string;
  keysetId: number;
  siteId?: number;
  created?: number;
  activates?: number;
  expires?: number;
}

/** Converts a vector key to an {@link EncryptionKey} (missing times: 0 and far future). */
export function toKey(key: VectorKey): EncryptionKey {
  return {
    id: key.id,
    keysetId: key.keysetId,
    secret: Buffer.from(key.secretBase64, 'base64'),
    createdSeconds: key.created ?? 0,
    activatesSeconds: key.activates ?? 0,
    expiresSeconds: key.expires ?? 4_102_444_800,
  };
}

/** A minimal key lookup over a list of keys. */
export function lookup(keys: readonly EncryptionKey[]): { byId(id: number): EncryptionKey | undefined } {
  const map = new Map(keys.map((key) => [key.id, key]));
  return { byId: (id) => map.get(id) };
}

export const hex = (text: string): Buffer => Buffer.from(text, 'hex');
export const b64 = (text: string): Buffer => Buffer.from(text, 'base64');
