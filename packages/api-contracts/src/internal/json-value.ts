/** A parsed JSON object (not an array, not null). */
export type JsonRecord = Record<string, unknown>;

/** True for a plain JSON object: not `null`, not an array. */
export function isJsonRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a field the way the reference's `JsonObject.getString` does: `null`/absent gives
 * `undefined`, a string is returned as is, any other JSON value becomes its text (numbers and
 * booleans as in JavaScript; objects and arrays as compact JSON, where Java would print its own
 * `toString`, a difference no valid input can depend on).
 */
export function readText(record: JsonRecord, key: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return objectText(value);
}

/**
 * Compact JSON of an object or array read "as text". A value nested deeply enough to overflow
 * `JSON.stringify`'s stack (thousands of levels fit in a 1 MiB body) becomes a placeholder that no
 * identifier, token or address can equal, so the request fails validation instead of crashing.
 */
function objectText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unprintable JSON value]';
  }
}

/**
 * Reads a JSON array as strings the way the reference's binding does. Returns `values` itself
 * when every element is a string (the hot path: one pass, no allocation). Otherwise returns a
 * copy in which numbers and booleans become their text and, when `objectsAsText`, objects and
 * arrays become compact JSON; returns `null` when an element is `null` (or an object/array and
 * not `objectsAsText`).
 */
export function readStringArray(
  values: readonly unknown[],
  objectsAsText: boolean,
): readonly string[] | null {
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'string') return convertFrom(values, i, objectsAsText);
  }
  return values as readonly string[];
}

function convertFrom(values: readonly unknown[], start: number, objectsAsText: boolean): string[] | null {
  const out = values.slice(0, start) as string[];
  for (let i = start; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'string') out.push(value);
    else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
    else if (objectsAsText && typeof value === 'object' && value !== null) out.push(objectText(value));
    else return null;
  }
  return out;
}
