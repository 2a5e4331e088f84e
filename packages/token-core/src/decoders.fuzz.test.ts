import { gcmEncrypt } from '@uid2-operator/crypto-envelope';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAdvertisingToken } from './decode-advertising-token.js';
import { decodeRefreshToken } from './refresh-token.js';
import { unwrapRefreshToken, wrapRefreshToken } from './refresh-wrapper.js';
import { decryptTokenForSdk } from './sdk-decrypt.js';
import { cbcEncrypt } from './test-support/legacy-v2.js';
import {
  NOW,
  craftMasterPayload,
  craftToken,
  masterKey,
  refreshKey,
  ring,
  siteKey,
  validRefresh,
  validV4,
} from './test-support/tokens.js';
import { TokenError, type TokenErrorCode, refreshWrapperErrorMessage } from './token-error.js';

// Fuzz tests of issue 7: the token decoders return a result or throw a TokenError for ANY text,
// including texts built around plaintexts encrypted with real keys, so the parsing after a
// successful decryption is reached too. Seeded and bounded (a few seconds).

const SEED = 7007;
const RUNS = 1500;

function outcome(decode: () => unknown): 'ok' | TokenErrorCode {
  try {
    decode();
    return 'ok';
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    expect(refreshWrapperErrorMessage(error)).toMatch(/^Invalid /);
    return error.code;
  }
}

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.string({ unit: anyCodeUnit, maxLength: 400 });
const anyBytes = fc.uint8Array({ maxLength: 300 });
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** A token text: random text, random bytes in either alphabet, or a mutation of a valid token. */
function tokenText(valid: string): fc.Arbitrary<string> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=';
  const mutation = fc
    .tuple(
      fc.nat({ max: valid.length }),
      fc.constantFrom(...alphabet.split('')),
      fc.constantFrom('set', 'cut', 'insert'),
    )
    .map(([at, c, how]) => {
      if (how === 'cut') return valid.slice(0, at);
      if (how === 'insert') return valid.slice(0, at) + c + valid.slice(at);
      return valid.slice(0, at) + c + valid.slice(at + 1);
    });
  return fc.oneof(anyText, anyBytes.map(b64), anyBytes.map(b64url), mutation);
}

/** Header bytes that select each decoder branch, with key ids that exist and that do not. */
const header = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x70, 0x80, 0x02, 0x00, 0xff));

describe('decodeAdvertisingToken under fuzzing', () => {
  it('throws only TokenError for any text and mutated V4 tokens', () => {
    const valid = validV4();
    fc.assert(
      fc.property(tokenText(valid), fc.boolean(), (token, withNow) => {
        outcome(() => decodeAdvertisingToken(token, ring, withNow ? { nowMs: NOW } : {}));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('throws only TokenError for V3/V4 shells around any plaintext encrypted with real keys', () => {
    fc.assert(
      fc.property(header, anyBytes, fc.boolean(), fc.boolean(), ([b0, b1], inner, nested, urlSafe) => {
        const master = nested ? craftMasterPayload(inner) : Buffer.from(inner);
        const bytes = craftToken([b0, b1], master);
        outcome(() => decodeAdvertisingToken(urlSafe ? b64url(bytes) : b64(bytes), ring));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('throws only TokenError for V2 shells around any CBC plaintext', () => {
    fc.assert(
      fc.property(anyBytes, anyBytes, fc.boolean(), (outer, inner, nested) => {
        const site = cbcEncrypt(siteKey.secret, Buffer.alloc(16, 1), inner);
        const head = Buffer.alloc(12);
        head.writeInt32BE(siteKey.id, 8);
        const plaintext = nested ? Buffer.concat([head, site]) : Buffer.from(outer);
        const master = cbcEncrypt(masterKey.secret, Buffer.alloc(16, 2), plaintext);
        const id = Buffer.alloc(4);
        id.writeInt32BE(masterKey.id);
        outcome(() => decodeAdvertisingToken(b64(Buffer.concat([Buffer.of(2), id, master])), ring));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('decodeRefreshToken and unwrapRefreshToken under fuzzing', () => {
  it('decodeRefreshToken throws only TokenError for any text and mutated tokens', () => {
    fc.assert(
      fc.property(tokenText(validRefresh()), (token) => {
        outcome(() => decodeRefreshToken(token, ring, { nowMs: NOW }));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('decodeRefreshToken throws only TokenError for V3 and V2 shells around any plaintext', () => {
    fc.assert(
      fc.property(header, anyBytes, fc.boolean(), ([b0, b1], inner, v2) => {
        let bytes: Buffer;
        if (v2) {
          const head = Buffer.alloc(29);
          head[0] = 2;
          head.writeInt32BE(refreshKey.id, 25);
          bytes = Buffer.concat([head, cbcEncrypt(refreshKey.secret, Buffer.alloc(16, 4), inner)]);
        } else {
          bytes = craftToken([b0, b1], Buffer.from(inner), refreshKey);
        }
        outcome(() => decodeRefreshToken(b64(bytes), ring));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('unwrapRefreshToken throws only TokenError for any text, mutated wrappers and any encrypted JSON', () => {
    const wrapped = wrapRefreshToken({
      scope: 'UID2',
      innerToken: validRefresh(),
      refreshResponseKey: Buffer.alloc(32, 1),
      refreshKey,
      iv: Buffer.alloc(12, 2),
    });
    const crafted = fc
      .oneof(
        anyBytes,
        fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '')),
      )
      .map((plaintext) => {
        const head = Buffer.alloc(5);
        head.writeInt32BE(refreshKey.id, 1);
        return b64(Buffer.concat([head, gcmEncrypt(refreshKey.secret, plaintext, Buffer.alloc(12))]));
      });
    fc.assert(
      fc.property(fc.oneof(tokenText(wrapped), crafted), (text) => {
        outcome(() => unwrapRefreshToken(text, ring));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('decryptTokenForSdk under fuzzing', () => {
  it('never throws and always reports a status, for any text', () => {
    const context = {
      nowMs: NOW,
      clientType: 'BIDSTREAM',
      identityScope: 'UID2',
      maxLifetimeSeconds: 3610,
      allowClockSkewSeconds: 1800,
    } as const;
    fc.assert(
      fc.property(tokenText(validV4()), (token) => {
        const result = decryptTokenForSdk(token, [masterKey, siteKey], context);
        expect(typeof result.status).toBe('string');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
