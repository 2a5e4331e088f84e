import { createCipheriv, hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rawUidV3PrefixByte, rawUidV4MetaByte } from './identity.js';
import { rawUidV2, rawUidV3, rawUidV4 } from './raw-uid.js';

const FLH = hash('sha256', 'flh', 'buffer');

/** Straightforward AES-CTR construction of spec/internals.md §3.7, used as an oracle. */
function referenceV4(flh: Buffer, material: { id: number; key: string; salt: string }, meta: number): Buffer {
  const keyId = Buffer.from([(material.id >>> 16) & 0xff, (material.id >>> 8) & 0xff, material.id & 0xff]);
  const iv = hash(
    'sha256',
    Buffer.concat([Buffer.from(material.salt), flh.subarray(16), Buffer.from([meta]), keyId]),
    'buffer',
  ).subarray(0, 12);
  const algorithm = `aes-${Buffer.byteLength(material.key) * 8}-ctr`;
  const encrypted = createCipheriv(
    algorithm,
    Buffer.from(material.key),
    Buffer.concat([iv, Buffer.alloc(4)]),
  ).update(flh.subarray(16));
  const body = Buffer.concat([Buffer.from([meta]), keyId, iv, encrypted]);
  return Buffer.concat([body, Buffer.from([body.reduce((x, b) => x ^ b, 0)])]);
}

describe('identity bytes', () => {
  it('builds every v3 prefix and v4 meta byte of the TokenUtilsTest table', () => {
    expect(rawUidV3PrefixByte('UID2', 'email')).toBe(0x00);
    expect(rawUidV3PrefixByte('EUID', 'phone')).toBe(0x14);
    const metas = (['test', 'integ', 'prod'] as const).flatMap((env) =>
      (['UID2', 'EUID'] as const).flatMap((scope) =>
        (['email', 'phone'] as const).map((type) => rawUidV4MetaByte(scope, type, env)),
      ),
    );
    expect(metas).toEqual([0x20, 0x24, 0x30, 0x34, 0x60, 0x64, 0x70, 0x74, 0xa0, 0xa4, 0xb0, 0xb4]);
  });
});

describe('rawUidV2 and rawUidV3', () => {
  it('hash the base64 text of the FLH followed by the salt text', () => {
    expect(rawUidV2(FLH, 'salt')).toEqual(hash('sha256', `${FLH.toString('base64')}salt`, 'buffer'));
    const v3 = rawUidV3(FLH, 'salt', 'EUID', 'phone');
    expect(v3[0]).toBe(0x14);
    expect(v3.subarray(1)).toEqual(rawUidV2(FLH, 'salt'));
  });

  it('reject a first-level hash that is not 32 bytes', () => {
    expect(() => rawUidV2(FLH.subarray(1), 'salt')).toThrow(TypeError);
  });
});

describe('rawUidV4', () => {
  it('matches the AES-CTR construction for 16, 24 and 32-byte keys and negative ids', () => {
    for (const material of [
      { id: 1, key: 'k'.repeat(16), salt: 's' },
      { id: 2, key: 'k'.repeat(24), salt: 'salt' },
      { id: -1, key: 'k'.repeat(32), salt: 'sel é' },
    ]) {
      expect(rawUidV4(FLH, material, 0xb4)).toEqual(referenceV4(FLH, material, 0xb4));
    }
  });

  it('stays correct when more keys are used than the encryptor cache holds', () => {
    for (let id = 0; id < 4200; id += 1) {
      const material = { id, key: `${id}`.padStart(32, 'k'), salt: 'x' };
      const got = rawUidV4(FLH, material, 0x20);
      if (id % 700 === 0) expect(got).toEqual(referenceV4(FLH, material, 0x20));
    }
    expect(rawUidV4(FLH, { id: 1, key: 'k'.repeat(32), salt: 'y' }, 0x20)).toEqual(
      referenceV4(FLH, { id: 1, key: 'k'.repeat(32), salt: 'y' }, 0x20),
    );
  });

  it('rejects a key text that is not 16, 24 or 32 bytes', () => {
    expect(() => rawUidV4(FLH, { id: 1, key: 'short', salt: 's' }, 0x20)).toThrow(TypeError);
  });
});
