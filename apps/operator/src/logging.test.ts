import { hashDiiBase64 } from '@uid2-operator/dii-normalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOperator, type TestOperator } from './test-support/harness.js';
import { generateTokens, postRefresh } from './test-support/token-helpers.js';

const EMAIL = 'secret.person@example.com';
const PHONE = '+15555550123';

describe('operator logs', () => {
  let operator: TestOperator;
  const secrets: string[] = [];

  beforeAll(async () => {
    operator = await createTestOperator({ config: { logLevel: 'trace' } });
    const all = operator.fixture.clients.all;
    secrets.push(EMAIL, PHONE, hashDiiBase64(EMAIL), hashDiiBase64(PHONE), all.key, all.secret);
  });
  afterAll(async () => operator.close());

  it('never contain an email, phone, hash, token, API key or secret, also when requests fail', async () => {
    const tokens = await generateTokens(operator, { email: EMAIL });
    secrets.push(tokens.advertising_token, tokens.refresh_token, tokens.refresh_response_key);
    await postRefresh(operator, tokens.refresh_token, tokens.refresh_response_key);
    await operator.call('/v2/token/generate', { phone: PHONE });
    await operator.call('/v3/identity/map', { email: [EMAIL, 'not an email'], phone: [PHONE] });
    await operator.call('/v2/identity/map', { email_hash: [hashDiiBase64(EMAIL)] });
    await operator.call('/v2/token/validate', { token: tokens.advertising_token, email: EMAIL });
    await operator.call('/v2/token/logout', { email: EMAIL });
    // Failures: bad envelope text that contains DII, a bad refresh token, an unknown key, a body
    // that is JSON carrying DII, and an internal failure while the store is down.
    await operator.app.inject({
      method: 'POST',
      url: '/v2/token/generate',
      headers: { authorization: `Bearer ${operator.fixture.clients.all.key}` },
      payload: JSON.stringify({ email: EMAIL }),
    });
    await operator.app.inject({
      method: 'POST',
      url: '/v2/token/generate',
      headers: { authorization: `Bearer ${EMAIL}` },
      payload: EMAIL,
    });
    await postRefresh(operator, `${tokens.refresh_token.slice(0, 300)}${EMAIL}`);
    operator.source.failing = true;
    await operator.call('/v2/token/logout', { phone: PHONE });
    operator.source.failing = false;

    const logText = operator.logs.join('\n');
    expect(operator.logs.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(logText).not.toContain(secret);
  });
});
