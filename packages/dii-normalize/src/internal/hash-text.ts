/** Length of the base64 text of a SHA-256 digest (32 bytes), the accepted `*_hash` base64 form. */
export const BASE64_HASH_LENGTH = 44;
/** Length of the hex text of a SHA-256 digest, the accepted `*_hash` hex form. */
export const HEX_HASH_LENGTH = 64;

const EQUALS = 0x3d;

// 1 for every character of the standard base64 alphabet (RFC 4648 §4), 0 otherwise.
const BASE64_ALPHABET = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') {
  BASE64_ALPHABET[ch.charCodeAt(0)] = 1;
}
const HEX_DIGITS = new Uint8Array(128);
for (const ch of '0123456789abcdefABCDEF') HEX_DIGITS[ch.charCodeAt(0)] = 1;

function isBase64Char(c: number): boolean {
  return c < 128 && BASE64_ALPHABET[c] === 1;
}

/**
 * Whether a 44-character text is accepted by Java's basic (strict) base64 decoder: standard
 * alphabet only, `=` only as a final `=` or `==`, nothing after the padding. Unused trailing bits
 * are not checked (Java does not either), and the decoded length is whatever it is (31–33 bytes).
 */
export function isStrictBase64Hash(text: string): boolean {
  if (text.length !== BASE64_HASH_LENGTH) return false;
  for (let i = 0; i < BASE64_HASH_LENGTH - 2; i++) {
    if (!isBase64Char(text.charCodeAt(i))) return false;
  }
  const c42 = text.charCodeAt(42);
  const c43 = text.charCodeAt(43);
  if (isBase64Char(c42)) return c43 === EQUALS || isBase64Char(c43);
  return c42 === EQUALS && c43 === EQUALS;
}

/** Whether the text is exactly 64 hexadecimal digits, either case. */
export function isHexHash(text: string): boolean {
  if (text.length !== HEX_HASH_LENGTH) return false;
  for (let i = 0; i < HEX_HASH_LENGTH; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || HEX_DIGITS[c] !== 1) return false;
  }
  return true;
}
