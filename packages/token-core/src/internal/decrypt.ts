import { createDecipheriv } from 'node:crypto';
import { EnvelopeError, gcmDecrypt } from '@uid2-operator/crypto-envelope';
import { TokenError } from '../token-error.js';

/** AES-256-GCM open of IV ‖ ciphertext ‖ tag; any authentication failure becomes `ERR_TOKEN_DECRYPT`. */
export function openGcm(key: Uint8Array, blob: Uint8Array): Buffer {
  try {
    return gcmDecrypt(key, blob);
  } catch (error) {
    if (error instanceof EnvelopeError) throw new TokenError('ERR_TOKEN_DECRYPT');
    throw error;
  }
}

const CBC_IV_BYTES = 16;

/**
 * AES-256-CBC with PKCS#7 padding over IV(16) ‖ ciphertext, the legacy V2 layout
 * (spec/internals.md §0). A bad length or padding becomes `ERR_TOKEN_DECRYPT`.
 */
export function openCbc(key: Uint8Array, blob: Uint8Array): Buffer {
  const ciphertextLength = blob.length - CBC_IV_BYTES;
  if (ciphertextLength <= 0 || ciphertextLength % 16 !== 0) throw new TokenError('ERR_TOKEN_DECRYPT');
  const decipher = createDecipheriv('aes-256-cbc', key, blob.subarray(0, CBC_IV_BYTES));
  try {
    return Buffer.concat([decipher.update(blob.subarray(CBC_IV_BYTES)), decipher.final()]);
  } catch {
    throw new TokenError('ERR_TOKEN_DECRYPT');
  }
}
