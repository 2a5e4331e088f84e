const SURROGATE_MIN = 0xd800;
const HIGH_SURROGATE_MAX = 0xdbff;
const LOW_SURROGATE_MIN = 0xdc00;
const SURROGATE_MAX = 0xdfff;

/**
 * Makes a string encode to the same UTF-8 bytes as Java's `String.getBytes(UTF_8)`: Java
 * replaces an unpaired surrogate with `?`, Node with U+FFFD (3 bytes). Returns the input itself
 * (no copy) when it is well formed, which is the overwhelmingly common case.
 */
export function javaUtf8Text(text: string): string {
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < SURROGATE_MIN || c > SURROGATE_MAX) continue;
    if (c <= HIGH_SURROGATE_MAX && i + 1 < length) {
      const next = text.charCodeAt(i + 1);
      if (next >= LOW_SURROGATE_MIN && next <= SURROGATE_MAX) {
        i++;
        continue;
      }
    }
    return replaceLoneSurrogates(text);
  }
  return text;
}

function replaceLoneSurrogates(text: string): string {
  let out = '';
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= SURROGATE_MIN && c <= HIGH_SURROGATE_MAX && i + 1 < length) {
      const next = text.charCodeAt(i + 1);
      if (next >= LOW_SURROGATE_MIN && next <= SURROGATE_MAX) {
        out += text[i] ?? '';
        out += text[i + 1] ?? '';
        i++;
        continue;
      }
    }
    out += c >= SURROGATE_MIN && c <= SURROGATE_MAX ? '?' : (text[i] ?? '');
  }
  return out;
}
