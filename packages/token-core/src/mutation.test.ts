import { describe, expect, it } from 'vitest';
import { decodeAdvertisingToken } from './decode-advertising-token.js';
import { encodeAdvertisingTokenBytes } from './encode-advertising-token.js';
import { decodeRefreshToken } from './refresh-token.js';
import { unwrapRefreshToken, wrapRefreshToken } from './refresh-wrapper.js';
import { type SdkDecryptionStatus, decryptTokenForSdk } from './sdk-decrypt.js';
import { encodeAdvertisingTokenV2, encodeRefreshTokenV2 } from './test-support/legacy-v2.js';
import { NOW, adInput, masterKey, refreshKey, ring, siteKey, validRefresh } from './test-support/tokens.js';
import { TokenError } from './token-error.js';

/** mulberry32: a small seeded PRNG, so any failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= \n\t!"%.é😊\u0000';

/** Runs `decode`; it may succeed, but the only error it may throw is a TokenError. */
function outcome(decode: () => unknown): 'ok' | TokenError['code'] {
  try {
    decode();
    return 'ok';
  } catch (error) {
    if (!(error instanceof TokenError)) throw new Error(`threw ${String(error)}`);
    return error.code;
  }
}

function textMutations(text: string, random: () => number, count: number): string[] {
  const pick = () => CHARSET[Math.floor(random() * CHARSET.length)] ?? 'A';
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = Math.floor(random() * (text.length + 1));
    const choice = random();
    if (choice < 0.4) out.push(text.slice(0, at) + pick() + text.slice(at + 1));
    else if (choice < 0.6) out.push(text.slice(0, at) + pick() + text.slice(at));
    else if (choice < 0.8) out.push(text.slice(0, at) + text.slice(at + 1));
    else out.push(Array.from({ length: Math.floor(random() * 300) }, pick).join(''));
  }
  return out;
}

const SDK_STATUSES: readonly SdkDecryptionStatus[] = [
  'SUCCESS',
  'INVALID_PAYLOAD',
  'VERSION_NOT_SUPPORTED',
  'NOT_AUTHORIZED_FOR_MASTER_KEY',
  'NOT_AUTHORIZED_FOR_KEY',
  'EXPIRED_TOKEN',
  'INVALID_TOKEN_LIFETIME',
];
const sdkKeys = [masterKey, siteKey];
const sdkContext = {
  nowMs: NOW,
  clientType: 'BIDSTREAM',
  identityScope: 'UID2',
  maxLifetimeSeconds: 86_400,
  allowClockSkewSeconds: 1800,
} as const;

interface Subject {
  name: string;
  bytes: Buffer;
  encode: (bytes: Buffer) => string;
  decode: (text: string) => unknown;
  /** Byte offsets below this are not authenticated (header) or nothing is (CBC). */
  authenticatedFrom: number;
}

const adV4 = encodeAdvertisingTokenBytes(adInput(), 4);
const adV3 = encodeAdvertisingTokenBytes(adInput({ rawUid: Buffer.alloc(33, 0x03) }), 3);
const adV2 = Buffer.from(
  encodeAdvertisingTokenV2({
    masterKey,
    siteKey,
    expiresMs: NOW + 1000,
    siteId: 123,
    rawUid: Buffer.alloc(32, 1),
    privacyBits: 1,
    establishedMs: NOW,
    masterIv: Buffer.alloc(16, 1),
    siteIv: Buffer.alloc(16, 2),
  }),
  'base64',
);
const refreshV2 = Buffer.from(
  encodeRefreshTokenV2({
    key: refreshKey,
    createdMs: NOW,
    expiresMs: NOW + 1000,
    siteId: 1,
    firstLevelHash: Buffer.alloc(32, 2),
    privacyBits: 1,
    establishedMs: NOW,
    iv: Buffer.alloc(16, 3),
  }),
  'base64',
);
const wrapper = Buffer.from(
  wrapRefreshToken({
    scope: 'UID2',
    innerToken: validRefresh(),
    refreshResponseKey: Buffer.alloc(32, 9),
    refreshKey,
    iv: Buffer.alloc(12),
  }),
  'base64',
);

const decodeAd = (text: string) => decodeAdvertisingToken(text, ring);
const decodeRefresh = (text: string) => decodeRefreshToken(text, ring);
const std = (bytes: Buffer) => bytes.toString('base64');

const subjects: Subject[] = [
  {
    name: 'V4 advertising token',
    bytes: adV4,
    encode: (b) => b.toString('base64url'),
    decode: decodeAd,
    authenticatedFrom: 6,
  },
  { name: 'V3 advertising token', bytes: adV3, encode: std, decode: decodeAd, authenticatedFrom: 6 },
  { name: 'V2 advertising token', bytes: adV2, encode: std, decode: decodeAd, authenticatedFrom: Infinity },
  {
    name: 'V3 refresh token',
    bytes: Buffer.from(validRefresh(), 'base64'),
    encode: std,
    decode: decodeRefresh,
    authenticatedFrom: 6,
  },
  {
    name: 'V2 refresh token',
    bytes: refreshV2,
    encode: std,
    decode: decodeRefresh,
    authenticatedFrom: Infinity,
  },
  {
    name: 'refresh token wrapper',
    bytes: wrapper,
    encode: std,
    decode: (t) => unwrapRefreshToken(t, ring),
    authenticatedFrom: 5,
  },
];

describe.each(subjects)('mutations of a valid $name', (subject) => {
  it('decodes the untouched token', () => {
    expect(outcome(() => subject.decode(subject.encode(subject.bytes)))).toBe('ok');
  });

  it('rejects every flipped authenticated byte and throws nothing but TokenError for any flip', () => {
    const random = prng(subject.bytes.length);
    for (let i = 0; i < subject.bytes.length; i++) {
      const copy = Buffer.from(subject.bytes);
      copy[i] = (copy[i] ?? 0) ^ (1 + Math.floor(random() * 255));
      const result = outcome(() => subject.decode(subject.encode(copy)));
      if (i >= subject.authenticatedFrom) expect(result, `byte ${i}`).not.toBe('ok');
    }
  });

  it('throws only TokenError for every truncation', () => {
    for (let length = 0; length < subject.bytes.length; length++) {
      const result = outcome(() => subject.decode(subject.encode(subject.bytes.subarray(0, length))));
      expect(result, `length ${length}`).not.toBe('ok');
    }
  });

  it('throws only TokenError for random text edits and garbage', () => {
    for (const text of textMutations(subject.encode(subject.bytes), prng(7), 1500)) {
      outcome(() => subject.decode(text));
    }
  });
});

describe('decryptTokenForSdk under mutation', () => {
  it('never throws and always answers a known status', () => {
    const texts = [
      ...textMutations(adV4.toString('base64url'), prng(11), 1500),
      ...textMutations(std(adV2), prng(12), 500),
    ];
    for (let i = 0; i < adV4.length; i++) {
      const copy = Buffer.from(adV4);
      copy[i] = (copy[i] ?? 0) ^ 0x5a;
      texts.push(copy.toString('base64url'), adV4.subarray(0, i).toString('base64url'));
    }
    for (const text of texts) {
      expect(SDK_STATUSES).toContain(decryptTokenForSdk(text, sdkKeys, sdkContext).status);
    }
  });
});
