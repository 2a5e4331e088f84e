import { createCipheriv, createDecipheriv } from 'node:crypto';
import { DbError } from '../db-error.js';
import type { RandomSource } from '../kek.js';

/**
 * What a stored ciphertext is for. It goes into the AES-GCM additional data together with the
 * row's key (`uid2:<purpose>:<rowKey>`), so a ciphertext copied to another column or row fails.
 */
export type SecretPurpose =
  | 'kek_check'
  | 'api_key_secret'
  | 'key_secret'
  | 'keypair_private_key'
  | 'salt_first_level'
  | 'salt_id_secret';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under the key-encryption key. Blob layout `IV(12) ‖ ciphertext ‖ tag(16)`, the same
 * as every other GCM blob in this project (spec/internals.md §0), with purpose-bound AAD.
 */
export class SecretBox {
  private readonly kek: Buffer;
  private readonly random: RandomSource;

  constructor(kek: Buffer, random: RandomSource) {
    this.kek = kek;
    this.random = random;
  }

  /** Encrypts `plaintext` for `purpose` of the row `rowKey`. */
  seal(purpose: SecretPurpose, rowKey: string | number, plaintext: Uint8Array): Buffer {
    const iv = this.random(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(aad(purpose, rowKey));
    const body = cipher.update(plaintext);
    cipher.final();
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  }

  /**
   * Decrypts a blob made by {@link seal} with the same purpose and row key.
   *
   * @throws DbError `ERR_DB_DECRYPT` (naming the purpose and row, never the data) on any failure.
   */
  open(purpose: SecretPurpose, rowKey: string | number, blob: Uint8Array): Buffer {
    try {
      if (blob.length < IV_BYTES + TAG_BYTES) throw new Error('short');
      const decipher = createDecipheriv('aes-256-gcm', this.kek, blob.subarray(0, IV_BYTES));
      decipher.setAAD(aad(purpose, rowKey));
      decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
      const body = decipher.update(blob.subarray(IV_BYTES, blob.length - TAG_BYTES));
      decipher.final();
      return body;
    } catch {
      throw new DbError(
        'ERR_DB_DECRYPT',
        `Stored ${purpose} of ${String(rowKey)} failed to decrypt: the row was altered or was written under another UID2_KEK`,
        String(rowKey),
      );
    }
  }

  /** `seal` for UTF-8 text. */
  sealText(purpose: SecretPurpose, rowKey: string | number, text: string): Buffer {
    return this.seal(purpose, rowKey, Buffer.from(text, 'utf8'));
  }

  /** `open` returning UTF-8 text. */
  openText(purpose: SecretPurpose, rowKey: string | number, blob: Uint8Array): string {
    return this.open(purpose, rowKey, blob).toString('utf8');
  }
}

function aad(purpose: SecretPurpose, rowKey: string | number): Buffer {
  return Buffer.from(`uid2:${purpose}:${String(rowKey)}`, 'utf8');
}
