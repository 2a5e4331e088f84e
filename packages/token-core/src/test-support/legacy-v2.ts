import { createCipheriv } from 'node:crypto';
import type { EncryptionKey } from '../types.js';

/** Test-only AES-256-CBC/PKCS#7 encryption in the legacy layout IV(16) ‖ ciphertext. */
export function cbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final()]);
}

function int32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeInt32BE(value);
  return out;
}

function int64(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigInt64BE(BigInt(value));
  return out;
}

function identityBlock(siteId: number, id: Uint8Array, privacyBits: number, establishedMs: number): Buffer {
  const text = Buffer.from(Buffer.from(id).toString('base64'));
  return Buffer.concat([int32(siteId), int32(text.length), text, int32(privacyBits), int64(establishedMs)]);
}

type Key = Pick<EncryptionKey, 'id' | 'secret'>;

/** Test-only V2 advertising token encoder (spec/internals.md §1.4), standard base64. */
export function encodeAdvertisingTokenV2(input: {
  masterKey: Key;
  siteKey: Key;
  expiresMs: number;
  siteId: number;
  rawUid: Uint8Array;
  privacyBits: number;
  establishedMs: number;
  masterIv: Uint8Array;
  siteIv: Uint8Array;
}): string {
  const site = cbcEncrypt(
    input.siteKey.secret,
    input.siteIv,
    identityBlock(input.siteId, input.rawUid, input.privacyBits, input.establishedMs),
  );
  const master = cbcEncrypt(
    input.masterKey.secret,
    input.masterIv,
    Buffer.concat([int64(input.expiresMs), int32(input.siteKey.id), site]),
  );
  return Buffer.concat([Buffer.of(2), int32(input.masterKey.id), master]).toString('base64');
}

/** Test-only V2 refresh token encoder (spec/internals.md §2.2): valid-till = expires + 60 s. */
export function encodeRefreshTokenV2(input: {
  key: Key;
  createdMs: number;
  expiresMs: number;
  siteId: number;
  firstLevelHash: Uint8Array;
  privacyBits: number;
  establishedMs: number;
  iv: Uint8Array;
}): string {
  const identity = cbcEncrypt(
    input.key.secret,
    input.iv,
    identityBlock(input.siteId, input.firstLevelHash, input.privacyBits, input.establishedMs),
  );
  return Buffer.concat([
    Buffer.of(2),
    int64(input.createdMs),
    int64(input.expiresMs),
    int64(input.expiresMs + 60_000),
    int32(input.key.id),
    identity,
  ]).toString('base64');
}
