import { webcrypto } from 'node:crypto';
import { decodeAdvertisingToken } from '@uid2-operator/token-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEYPAIR } from '../test-support/fixture.js';
import { createTestOperator, type TestOperator } from '../test-support/harness.js';
import { postRefresh } from '../test-support/token-helpers.js';

const { subtle } = webcrypto;

/** What the UID2 JS SDK does in the browser (uid2-web-integrations `cstgCrypto.ts` / `apiClient.ts`). */
async function browserCstg(serverPublicKey: string, emailHash: string, appName?: string) {
  const serverKey = await subtle.importKey(
    'spki',
    Buffer.from(serverPublicKey.slice(9), 'base64'),
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    [],
  );
  const clientKeys = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveKey']);
  const sharedKey = await subtle.deriveKey(
    { name: 'ECDH', public: serverKey },
    clientKeys.privateKey,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  const timestamp = Date.now();
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  const additionalData = new TextEncoder().encode(
    JSON.stringify(appName === undefined ? [timestamp] : [timestamp, appName]),
  );
  const ciphertext = await subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData },
    sharedKey,
    new TextEncoder().encode(JSON.stringify({ email_hash: emailHash })),
  );
  const publicKey = await subtle.exportKey('spki', clientKeys.publicKey);
  const body = {
    payload: Buffer.from(ciphertext).toString('base64'),
    iv: Buffer.from(iv).toString('base64'),
    public_key: Buffer.from(publicKey).toString('base64'),
    timestamp,
    subscription_id: TEST_KEYPAIR.subscriptionId,
    ...(appName === undefined ? {} : { app_name: appName }),
  };
  async function decryptResponse(text: string): Promise<unknown> {
    const bytes = Buffer.from(text, 'base64');
    const plaintext = await subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.subarray(0, 12) },
      sharedKey,
      bytes.subarray(12),
    );
    return JSON.parse(new TextDecoder().decode(plaintext));
  }
  return { body, decryptResponse };
}

async function sha256Base64(text: string): Promise<string> {
  return Buffer.from(await subtle.digest('SHA-256', new TextEncoder().encode(text))).toString('base64');
}

describe('POST /v2/token/client-generate from a browser-style WebCrypto client', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await createTestOperator({ config: { clientSideTokenGenerate: true } });
  });
  afterAll(async () => operator.close());

  it('completes the ECDH round trip: the browser decrypts the answer and the tokens refresh', async () => {
    const client = await browserCstg(TEST_KEYPAIR.publicKey, await sha256Base64('browser.user@example.com'));
    const response = await operator.app.inject({
      method: 'POST',
      url: '/v2/token/client-generate?client=uid2-sdk-3.4.0',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://www.example.com' },
      payload: JSON.stringify(client.body),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('https://www.example.com');
    const answer = (await client.decryptResponse(response.body)) as {
      status: string;
      body: { advertising_token: string; refresh_token: string; refresh_response_key: string };
    };
    expect(answer.status).toBe('success');

    const decoded = decodeAdvertisingToken(answer.body.advertising_token, operator.state.snapshot.keyRing);
    expect(decoded.siteId).toBe(999);
    expect(decoded.privacyBits).toBe(3);
    const generated = await operator.call('/v2/token/generate', { email: 'browser.user@example.com' });
    const reference = (generated.json as { body: { advertising_token: string } }).body.advertising_token;
    expect(
      decoded.rawUid.equals(decodeAdvertisingToken(reference, operator.state.snapshot.keyRing).rawUid),
    ).toBe(true);

    const refreshed = await postRefresh(
      operator,
      answer.body.refresh_token,
      answer.body.refresh_response_key,
    );
    expect((refreshed.json as { status: string }).status).toBe('success');
  });

  it('binds the app name into the AAD like the mobile SDKs', async () => {
    const client = await browserCstg(
      TEST_KEYPAIR.publicKey,
      await sha256Base64('app.user@example.com'),
      'com.uid2.devapp',
    );
    const response = await operator.app.inject({
      method: 'POST',
      url: '/v2/token/client-generate',
      payload: JSON.stringify(client.body),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(200);
    expect(((await client.decryptResponse(response.body)) as { status: string }).status).toBe('success');
  });
});
