import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { EnvelopeError } from '../envelope-error.js';

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

export const hex = (text: string): Buffer => Buffer.from(text, 'hex');
export const b64 = (text: string): Buffer => Buffer.from(text, 'base64');

/** Runs `run` and returns the EnvelopeError it must throw. */
export function expectEnvelopeError(run: () => unknown): EnvelopeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeError);
    return error as EnvelopeError;
  }
  throw new Error('expected an EnvelopeError');
}
