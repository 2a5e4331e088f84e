import { describe, expect, it } from 'vitest';
import { cstgAad } from './cstg-aad.js';
import { createCstgRequest } from './cstg-client.js';
import { createCstgServerKey } from './cstg-key-agreement.js';
import {
  type CstgRequestFields,
  openCstgRequest,
  openCstgResponse,
  sealCstgResponse,
} from './cstg-payload.js';
import { envelopeErrorMessage } from './envelope-error.js';
import { parsePrefixedKey } from './prefixed-key.js';
import { expectEnvelopeError, hex, loadVectors, ofKind as of } from './test-support/vectors.js';

interface ServerKeypair {
  subscriptionId: string;
  publicKey: string;
  privateKey: string;
}
interface CstgRequestInput {
  serverKeypair: ServerKeypair;
  clientKeypair: { privateScalarHex: string; publicKeySpkiBase64: string };
  timestampMs: number | null;
  appName: string | null;
  ivHex: string;
  plaintextJson: string;
}
interface CstgRequestExpected {
  serverPublicKeySpkiBase64: string;
  sharedSecretHex: string;
  sharedSecretBase64: string;
  aad: string;
  aadHex: string;
  payloadBase64: string;
  requestBody: string;
  serverDecryptsTo: string;
}
interface CstgResponseInput {
  sharedSecretHex: string;
  ivHex: string;
  responseJson: string;
}
interface CstgErrorInput {
  serverKeypair: ServerKeypair;
  requestBody: string;
}
interface CstgErrorExpected {
  httpStatus: number;
  status: string;
  message: string;
}

const cstg = loadVectors('client-side-generate.json');

/** cstg-error vectors whose checks run before or after the crypto: they belong to the operator. */
const OPERATOR_CSTG_ERRORS = new Set([
  'Unknown subscription_id',
  'app_name not registered for the site',
  'Payload has both email_hash and phone_hash',
  'Payload has neither email_hash nor phone_hash',
]);

function fieldsOf(requestBody: string): CstgRequestFields {
  const body = JSON.parse(requestBody) as {
    public_key: string;
    iv: string;
    payload: string;
    timestamp?: number;
    app_name?: string;
  };
  return {
    publicKey: body.public_key,
    iv: body.iv,
    payload: body.payload,
    timestamp: body.timestamp ?? 0,
    appName: body.app_name,
  };
}

describe('client-side-generate.json', () => {
  it('has only kinds this test understands', () => {
    expect([...new Set(cstg.map((v) => v.kind))].sort()).toEqual([
      'cstg-error',
      'cstg-request',
      'cstg-response',
    ]);
  });

  it.each(of<CstgRequestInput, CstgRequestExpected>(cstg, 'cstg-request'))(
    'cstg-request: %s',
    (_title, v) => {
      const { input, expected } = v;
      const serverPublic = parsePrefixedKey(input.serverKeypair.publicKey);
      expect(serverPublic.der.toString('base64')).toBe(expected.serverPublicKeySpkiBase64);
      const serverKey = createCstgServerKey(parsePrefixedKey(input.serverKeypair.privateKey).der);
      expect(serverKey.publicKeySpki().equals(serverPublic.der)).toBe(true);

      const aad = cstgAad(input.timestampMs ?? 0, input.appName);
      expect(aad.toString('utf8')).toBe(expected.aad);
      expect(aad.toString('hex')).toBe(expected.aadHex);

      const created = createCstgRequest({
        serverPublicKey: serverPublic.der,
        clientPrivateKey: hex(input.clientKeypair.privateScalarHex),
        payload: input.plaintextJson,
        timestampMs: input.timestampMs,
        appName: input.appName,
        subscriptionId: input.serverKeypair.subscriptionId,
        iv: hex(input.ivHex),
      });
      expect(created.sharedSecret.toString('hex')).toBe(expected.sharedSecretHex);
      expect(created.body.public_key).toBe(input.clientKeypair.publicKeySpkiBase64);
      expect(created.body.payload).toBe(expected.payloadBase64);
      expect(JSON.stringify(created.body)).toBe(expected.requestBody);

      const opened = openCstgRequest(serverKey, fieldsOf(expected.requestBody));
      expect(opened.sharedSecret.toString('base64')).toBe(expected.sharedSecretBase64);
      expect(opened.payload).toEqual(JSON.parse(expected.serverDecryptsTo));
    },
  );

  it.each(of<CstgResponseInput, { responseBase64: string; responseLength: number }>(cstg, 'cstg-response'))(
    'cstg-response: %s',
    (_title, v) => {
      const { input, expected } = v;
      const key = hex(input.sharedSecretHex);
      const sealed = sealCstgResponse(key, input.responseJson, hex(input.ivHex));
      expect(sealed.toString('base64')).toBe(expected.responseBase64);
      expect(sealed.length).toBe(expected.responseLength);
      expect(openCstgResponse(key, expected.responseBase64).toString('utf8')).toBe(input.responseJson);
    },
  );

  const cryptoErrors = of<CstgErrorInput, CstgErrorExpected>(cstg, 'cstg-error').filter(
    ([title]) => !OPERATOR_CSTG_ERRORS.has(title),
  );

  it('leaves exactly the subscription, app-name and identity-rule errors to the operator', () => {
    const skipped = of(cstg, 'cstg-error').filter(([title]) => OPERATOR_CSTG_ERRORS.has(title));
    expect(skipped).toHaveLength(OPERATOR_CSTG_ERRORS.size);
    expect(cryptoErrors.length).toBeGreaterThanOrEqual(6);
  });

  it.each(cryptoErrors)('cstg-error: %s', (_title, v) => {
    const { input, expected } = v;
    expect([expected.httpStatus, expected.status]).toEqual([400, 'client_error']);
    const serverKey = createCstgServerKey(parsePrefixedKey(input.serverKeypair.privateKey).der);
    const error = expectEnvelopeError(() => openCstgRequest(serverKey, fieldsOf(input.requestBody)));
    expect(envelopeErrorMessage(error, 'UID2')).toBe(expected.message);
  });
});
