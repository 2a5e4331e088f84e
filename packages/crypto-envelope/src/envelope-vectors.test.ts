import { describe, expect, it } from 'vitest';
import { type IdentityScope, envelopeErrorMessage } from './envelope-error.js';
import { openRequestEnvelope, sealRequestEnvelope } from './request-envelope.js';
import { openResponseEnvelope, sealResponseEnvelope } from './response-envelope.js';
import { b64, expectEnvelopeError, hex, loadVectors, ofKind as of } from './test-support/vectors.js';

interface RequestVector {
  clientSecretBase64: string;
  timestampMs: number;
  nonceHex: string;
  ivHex: string;
  payloadJson: string;
}
interface RequestExpected {
  envelopeBase64: string;
  envelopeHex: string;
  envelopeBase64WithoutPadding?: string;
  serverParse: { timestampMs: number; nonceHex: string; payloadJson: string | null };
}
interface ResponseExpected {
  responseBase64: string;
  responseHex: string;
  responseLength: number;
  sdkParse?: { status: string };
}
interface DecodeOnlyInput {
  clientSecretBase64: string;
  requestNonceHex: string;
  responseBase64: string;
}
interface DecodeOnlyExpected {
  ivHex: string;
  timestampMs: number;
  nonceHex: string;
  payloadJson: string;
}
interface NonceErrorInput extends RequestVector {
  requestNonceHex: string;
  responseNonceHex: string;
}
interface ServerBodyInput {
  identityScope: IdentityScope;
  contentType: string;
  clientSecretBase64: string;
  serverNowMs: number;
  body?: string;
  bodyHex?: string;
}
interface ServerBodyExpected {
  httpStatus?: number;
  status?: string;
  message?: string;
  accepted?: boolean;
}
const envelope = loadVectors('envelope.json');

describe('envelope.json', () => {
  it('has only kinds this test understands', () => {
    const kinds = new Set(envelope.map((v) => v.kind));
    expect([...kinds].sort()).toEqual([
      'request-envelope',
      'request-envelope-accepted',
      'request-envelope-error',
      'response-envelope',
      'response-envelope-client-error',
      'response-envelope-decode-only',
    ]);
  });

  it.each(of<RequestVector, RequestExpected>(envelope, 'request-envelope'))(
    'request-envelope: %s',
    (_title, v) => {
      const { input, expected } = v;
      const secret = b64(input.clientSecretBase64);
      const sealed = sealRequestEnvelope({
        secret,
        timestampMs: input.timestampMs,
        nonce: hex(input.nonceHex),
        payload: input.payloadJson === '' ? undefined : input.payloadJson,
        iv: hex(input.ivHex),
      });
      expect(sealed.toString('base64')).toBe(expected.envelopeBase64);
      expect(sealed.toString('hex')).toBe(expected.envelopeHex);

      const bodies: (string | Buffer)[] = [expected.envelopeBase64, Buffer.from(expected.envelopeBase64)];
      if (expected.envelopeBase64WithoutPadding !== undefined)
        bodies.push(expected.envelopeBase64WithoutPadding);
      for (const body of bodies) {
        const opened = openRequestEnvelope(body, { secret, nowMs: input.timestampMs });
        expect(opened.timestampMs).toBe(expected.serverParse.timestampMs);
        expect(opened.nonce.toString('hex')).toBe(expected.serverParse.nonceHex);
        const json = expected.serverParse.payloadJson;
        expect(opened.payload).toEqual(json === null ? null : JSON.parse(json));
        expect(opened.mode).toBe('text');
      }
      const binary = openRequestEnvelope(hex(expected.envelopeHex), {
        secret,
        nowMs: input.timestampMs,
        binary: true,
      });
      expect(binary.mode).toBe('binary');
    },
  );

  it.each(of<RequestVector, ResponseExpected>(envelope, 'response-envelope'))(
    'response-envelope: %s',
    (_title, v) => {
      const { input, expected } = v;
      const secret = b64(input.clientSecretBase64);
      const sealed = sealResponseEnvelope({
        secret,
        nowMs: input.timestampMs,
        nonce: hex(input.nonceHex),
        json: input.payloadJson,
        iv: hex(input.ivHex),
      });
      expect(sealed.toString('base64')).toBe(expected.responseBase64);
      expect(sealed.toString('hex')).toBe(expected.responseHex);
      expect(sealed.length).toBe(expected.responseLength);
      const opened = openResponseEnvelope({
        secret,
        envelope: expected.responseBase64,
        expectedNonce: hex(input.nonceHex),
      });
      expect(opened.timestampMs).toBe(input.timestampMs);
      expect(opened.json.toString('utf8')).toBe(input.payloadJson);
      if (expected.sdkParse !== undefined) {
        expect((JSON.parse(input.payloadJson) as { status: string }).status).toBe(expected.sdkParse.status);
      }
    },
  );

  it.each(of<DecodeOnlyInput, DecodeOnlyExpected>(envelope, 'response-envelope-decode-only'))(
    'response-envelope-decode-only: %s',
    (_title, v) => {
      const { input, expected } = v;
      const opened = openResponseEnvelope({
        secret: b64(input.clientSecretBase64),
        envelope: input.responseBase64,
        expectedNonce: hex(input.requestNonceHex),
      });
      expect(b64(input.responseBase64).subarray(0, 12).toString('hex')).toBe(expected.ivHex);
      expect(opened.timestampMs).toBe(expected.timestampMs);
      expect(opened.nonce.toString('hex')).toBe(expected.nonceHex);
      expect(opened.json.toString('utf8')).toBe(expected.payloadJson);
    },
  );

  it.each(
    of<NonceErrorInput, { responseBase64: string; sdkError: string }>(
      envelope,
      'response-envelope-client-error',
    ),
  )('response-envelope-client-error: %s', (_title, v) => {
    const { input, expected } = v;
    const secret = b64(input.clientSecretBase64);
    const sealed = sealResponseEnvelope({
      secret,
      nowMs: input.timestampMs,
      nonce: hex(input.responseNonceHex),
      json: input.payloadJson,
      iv: hex(input.ivHex),
    });
    expect(sealed.toString('base64')).toBe(expected.responseBase64);
    const error = expectEnvelopeError(() =>
      openResponseEnvelope({
        secret,
        envelope: expected.responseBase64,
        expectedNonce: hex(input.requestNonceHex),
      }),
    );
    expect(error.code).toBe('ERR_ENVELOPE_NONCE_MISMATCH');
    expect(envelopeErrorMessage(error, 'UID2')).toBe(expected.sdkError);
  });

  const requestBody = (input: ServerBodyInput): string | Buffer | undefined =>
    input.bodyHex !== undefined ? hex(input.bodyHex) : input.body;
  const openOptions = (input: ServerBodyInput) => ({
    secret: b64(input.clientSecretBase64),
    nowMs: input.serverNowMs,
    binary: input.contentType === 'application/octet-stream',
  });

  it.each(of<ServerBodyInput, ServerBodyExpected>(envelope, 'request-envelope-error'))(
    'request-envelope-error: %s',
    (_title, v) => {
      const { input, expected } = v;
      expect([expected.httpStatus, expected.status]).toEqual([400, 'client_error']);
      const error = expectEnvelopeError(() => openRequestEnvelope(requestBody(input), openOptions(input)));
      expect(envelopeErrorMessage(error, input.identityScope)).toBe(expected.message);
    },
  );

  it.each(of<ServerBodyInput, ServerBodyExpected>(envelope, 'request-envelope-accepted'))(
    'request-envelope-accepted: %s',
    (_title, v) => {
      const { input, expected } = v;
      expect(expected.accepted).toBe(true);
      const opened = openRequestEnvelope(requestBody(input), openOptions(input));
      expect(opened.nonce).toHaveLength(8);
      if (input.bodyHex !== undefined) {
        const rawBinary = hex(input.bodyHex)[0] === 1;
        expect(opened.mode).toBe(rawBinary ? 'binary' : 'text');
      }
    },
  );
});
