import { asBuffer } from './bytes.js';

/** A parsed JSON object (never an array or `null`). */
export type JsonObject = Record<string, unknown>;

/**
 * Parses UTF-8 JSON text and returns it only if it is a JSON object, like Vert.x
 * `new JsonObject(text)`; arrays, scalars, `null` and malformed text give `undefined`.
 */
export function parseJsonObject(data: string | Uint8Array): JsonObject | undefined {
  const text = typeof data === 'string' ? data : asBuffer(data).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

const OPEN_BRACE = 0x7b;

/**
 * True when the body is a JSON object: the "unencrypted JSON sent by mistake" test of spec/api.md
 * §3.1 b/d/e. Only bodies that start with `{` (after whitespace) are parsed at all.
 */
export function isJsonObject(data: string | Uint8Array): boolean {
  const first = firstNonSpace(data);
  return first === OPEN_BRACE && parseJsonObject(data) !== undefined;
}

function firstNonSpace(data: string | Uint8Array): number | undefined {
  for (let i = 0; i < data.length; i++) {
    const c = typeof data === 'string' ? data.charCodeAt(i) : data[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c;
  }
  return undefined;
}
