import { createECDH, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cstgAad } from './cstg-aad.js';
import { createCstgRequest } from './cstg-client.js';
import { createCstgServerKey, cstgSharedSecret, p256PointFromSpki } from './cstg-key-agreement.js';
import { openCstgPayload, openCstgRequest, openCstgResponse, sealCstgResponse } from './cstg-payload.js';
import { EnvelopeError } from './envelope-error.js';
import { parsePrefixedKey } from './prefixed-key.js';

const SERVER_PUBLIC =
  'UID2-X-L-MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtXJdTSZAYHvoRDWiehMHoWF1BNPuqLs5w2ZHiAZ1IJc7O4/z0ojPTB0V+KYX/wxQK0hxx6kxCvHj335eI/ZQsQ==';
const SERVER_PRIVATE =
  'UID2-Y-L-MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCC5kOSRVD+qhAZqf0L4LGbmAhdy5HpIptwXE72jxhwo6w==';
const serverKey = createCstgServerKey(parsePrefixedKey(SERVER_PRIVATE).der);
const serverPublicDer = parsePrefixedKey(SERVER_PUBLIC).der;
const clientScalar = Buffer.from('24c8f9843f474e68ac06438ba2d9c4b9b991ca14cdf09daee55e54df61fe5760', 'hex');
const iv = Buffer.alloc(12, 4);

function failure(run: () => unknown): { code: string; detail: unknown } {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvelopeError) return { code: error.code, detail: error.detail };
    throw error;
  }
  throw new Error('expected an EnvelopeError');
}

function request(overrides: { appName?: string; timestampMs?: number | null } = {}) {
  return createCstgRequest({
    serverPublicKey: serverPublicDer,
    clientPrivateKey: clientScalar,
    payload: { email_hash: 'lz3+Rj7IV4X1+Vr1ujkG7tstkxwk5pgkqJ6mXbpOgTs=' },
    timestampMs: overrides.timestampMs === undefined ? 1_700_000_000_000 : overrides.timestampMs,
    appName: overrides.appName,
    subscriptionId: 'sub',
    iv,
  });
}

function fields(body: ReturnType<typeof request>['body']) {
  return {
    publicKey: body.public_key,
    iv: body.iv,
    payload: body.payload,
    timestamp: body.timestamp ?? 0,
    appName: body.app_name,
  };
}

describe('parsePrefixedKey', () => {
  it('splits the 9-character prefix from the DER', () => {
    expect(parsePrefixedKey(SERVER_PUBLIC).prefix).toBe('UID2-X-L-');
    expect(parsePrefixedKey(SERVER_PUBLIC).der).toHaveLength(91);
  });

  it.each([
    '',
    'UID2-X-L-',
    'UID2-Z-L-AAAA',
    'uid2-X-L-AAAA',
    'UID2-X-L-not base64',
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD',
  ])('rejects %j', (text) => {
    expect(failure(() => parsePrefixedKey(text)).code).toBe('ERR_KEY_FORMAT');
  });
});

describe('createCstgServerKey', () => {
  it('rejects bytes that are not a P-256 PKCS#8 key', () => {
    expect(failure(() => createCstgServerKey(Buffer.from('garbage'))).code).toBe('ERR_KEY_FORMAT');
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({
      format: 'der',
      type: 'pkcs8',
    });
    expect(failure(() => createCstgServerKey(other)).code).toBe('ERR_KEY_FORMAT');
  });

  it('accepts a PKCS#8 key that embeds its public key', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = createCstgServerKey(pair.privateKey.export({ format: 'der', type: 'pkcs8' }));
    expect(key.publicKeySpki().equals(pair.publicKey.export({ format: 'der', type: 'spki' }))).toBe(true);
  });
});

describe('cstgSharedSecret', () => {
  it('gives the same secret on both sides and accepts a PKCS#8 key directly', () => {
    const created = request();
    const clientSpki = Buffer.from(created.body.public_key, 'base64');
    expect(cstgSharedSecret(serverKey, clientSpki).equals(created.sharedSecret)).toBe(true);
    expect(
      cstgSharedSecret(parsePrefixedKey(SERVER_PRIVATE).der, clientSpki).equals(created.sharedSecret),
    ).toBe(true);
  });

  it('parses a compressed-point SPKI through the slow path', () => {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(clientScalar);
    const compressedSpki = Buffer.concat([
      Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'),
      ecdh.getPublicKey(null, 'compressed'),
    ]);
    expect(p256PointFromSpki(compressedSpki).equals(ecdh.getPublicKey())).toBe(true);
    expect(cstgSharedSecret(serverKey, compressedSpki).equals(request().sharedSecret)).toBe(true);
  });

  it('reports a point off the curve as an agreement failure', () => {
    const spki = Buffer.from(serverPublicDer);
    spki[90] = (spki[90] ?? 0) ^ 0x01;
    expect(failure(() => cstgSharedSecret(serverKey, spki))).toEqual({
      code: 'ERR_CSTG_BAD_PUBLIC_KEY',
      detail: 'agreement',
    });
  });

  it('reports a key on another curve as an agreement failure and a non-EC key as an encoding failure', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({
      format: 'der',
      type: 'spki',
    });
    expect(failure(() => cstgSharedSecret(serverKey, p384))).toEqual({
      code: 'ERR_CSTG_BAD_PUBLIC_KEY',
      detail: 'agreement',
    });
    const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
    expect(failure(() => cstgSharedSecret(serverKey, ed))).toEqual({
      code: 'ERR_CSTG_BAD_PUBLIC_KEY',
      detail: 'encoding',
    });
    expect(failure(() => cstgSharedSecret(serverKey, Buffer.from('junk')))).toEqual({
      code: 'ERR_CSTG_BAD_PUBLIC_KEY',
      detail: 'encoding',
    });
  });
});

describe('openCstgRequest', () => {
  it('round-trips with and without app name and timestamp', () => {
    for (const overrides of [{}, { appName: 'com.example' }, { timestampMs: null }]) {
      const created = request(overrides);
      const opened = openCstgRequest(serverKey, fields(created.body));
      expect(opened.payload).toEqual({ email_hash: 'lz3+Rj7IV4X1+Vr1ujkG7tstkxwk5pgkqJ6mXbpOgTs=' });
    }
    expect(request({ timestampMs: null }).body).not.toHaveProperty('timestamp');
  });

  it('checks the public key, then the IV, then the payload', () => {
    const good = fields(request().body);
    expect(failure(() => openCstgRequest(serverKey, { ...good, publicKey: '!!', iv: '!!' })).code).toBe(
      'ERR_CSTG_BAD_PUBLIC_KEY',
    );
    expect(failure(() => openCstgRequest(serverKey, { ...good, iv: 'AAAA', payload: '!!' })).code).toBe(
      'ERR_CSTG_BAD_IV',
    );
    expect(failure(() => openCstgRequest(serverKey, { ...good, payload: '!!' })).code).toBe(
      'ERR_CSTG_DECRYPT',
    );
    expect(failure(() => openCstgRequest(serverKey, { ...good, payload: 'AAAA' })).code).toBe(
      'ERR_CSTG_DECRYPT',
    );
  });

  it('rejects a plaintext that is not a JSON object', () => {
    const created = createCstgRequest({
      serverPublicKey: serverPublicDer,
      clientPrivateKey: clientScalar,
      payload: '["email_hash"]',
      timestampMs: 5,
      subscriptionId: 'sub',
      iv,
    });
    expect(failure(() => openCstgRequest(serverKey, fields(created.body))).code).toBe(
      'ERR_CSTG_PAYLOAD_NOT_JSON',
    );
  });
});

describe('openCstgPayload', () => {
  it('refuses an IV that is not 12 bytes', () => {
    const input = {
      sharedSecret: Buffer.alloc(32),
      iv: Buffer.alloc(16),
      payload: Buffer.alloc(32),
      aad: Buffer.alloc(0),
    };
    expect(failure(() => openCstgPayload(input)).code).toBe('ERR_CSTG_BAD_IV');
  });
});

describe('cstgAad', () => {
  it('serializes like Jackson, with upper-case hex for control characters', () => {
    expect(cstgAad(0).toString()).toBe('[0]');
    expect(cstgAad(-5, null).toString()).toBe('[-5]');
    expect(cstgAad(1, '').toString()).toBe('[1,""]');
    expect(cstgAad(1, 'a"b\\c\n\t\b\f\r\u001f\u007fé/').toString()).toBe(
      '[1,"a\\"b\\\\c\\n\\t\\b\\f\\r\\u001F\u007fé/"]',
    );
  });

  it('refuses a timestamp that is not an integer', () => {
    expect(() => cstgAad(1.5)).toThrow(TypeError);
    expect(() => cstgAad(Number.NaN)).toThrow(TypeError);
  });
});

describe('createCstgRequest and the CSTG response', () => {
  it('refuses a server key that is not a P-256 SPKI and a short private scalar', () => {
    const input = { clientPrivateKey: clientScalar, payload: '{}', subscriptionId: 's', iv };
    expect(failure(() => createCstgRequest({ ...input, serverPublicKey: Buffer.from('nope') })).code).toBe(
      'ERR_KEY_FORMAT',
    );
    const offCurve = Buffer.from(serverPublicDer);
    offCurve[90] = (offCurve[90] ?? 0) ^ 0x01;
    expect(failure(() => createCstgRequest({ ...input, serverPublicKey: offCurve })).code).toBe(
      'ERR_KEY_FORMAT',
    );
    expect(() =>
      createCstgRequest({
        ...input,
        serverPublicKey: serverPublicDer,
        clientPrivateKey: Buffer.alloc(31, 1),
      }),
    ).toThrow(TypeError);
  });

  it('opens a sealed response and rejects text that is not base64', () => {
    const { sharedSecret } = request();
    const sealed = sealCstgResponse(sharedSecret, '{"status":"optout"}', iv);
    expect(openCstgResponse(sharedSecret, sealed).toString()).toBe('{"status":"optout"}');
    expect(failure(() => openCstgResponse(sharedSecret, 'not base64')).code).toBe('ERR_ENVELOPE_NOT_BASE64');
  });
});
