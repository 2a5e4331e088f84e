import { asBuffer } from './internal/bytes.js';

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Java's basic-decoder rules for where `=` may stand: padding is optional, but when present it
 * must complete the last 4-character unit exactly ("xx==" or "xxx="), and a lone trailing data
 * character ("x", "xxxxx") never decodes.
 */
function hasValidShape(text: string): boolean {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const rest = (text.length - padding) % 4;
  if (padding === 0) return rest !== 1;
  return padding === 1 ? rest === 3 : rest === 2;
}

function asLatin1(text: string | Uint8Array): string {
  return typeof text === 'string' ? text : asBuffer(text).toString('latin1');
}

/**
 * Decodes standard base64 exactly as `java.util.Base64.getDecoder()` does (spec/api.md §3.1 b):
 * alphabet `A-Z a-z 0-9 + /` only, no whitespace or line breaks, `=` padding optional but exact
 * when present. Unused low bits of the last character are ignored, as in Java.
 *
 * @param text base64 text, or its bytes (each byte read as one character)
 * @returns the decoded bytes (empty for empty input), or `null` when Java would reject the text
 */
export function decodeBase64Strict(text: string | Uint8Array): Buffer | null {
  const s = asLatin1(text);
  if (!STANDARD.test(s) || !hasValidShape(s)) return null;
  return Buffer.from(s, 'base64');
}

/**
 * Decodes URL-safe base64 (`-` and `_`, RFC 4648 §5) as `java.util.Base64.getUrlDecoder()` does:
 * padding optional, no other characters. V4 advertising tokens use this alphabet without padding.
 *
 * @returns the decoded bytes, or `null` when the text is not strict base64url
 */
export function decodeBase64UrlStrict(text: string | Uint8Array): Buffer | null {
  const s = asLatin1(text);
  if (!URL_SAFE.test(s) || !hasValidShape(s)) return null;
  return Buffer.from(s, 'base64url');
}
