import { describe, expect, it } from 'vitest';
import { generateAnswerJson, type GenerateAnswer } from './shared.js';

describe('generateAnswerJson', () => {
  it('is byte-identical to JSON.stringify for a token set and for optout', () => {
    const success: GenerateAnswer = {
      status: 'success',
      body: {
        advertising_token: 'A4AAAAs-_dJQqiN8k0Qj5WQzlGdKJLQ',
        refresh_token: 'AAAAAbc+/9Zz==',
        identity_expires: 1_780_000_003_600_123,
        refresh_expires: 1_780_000_086_400_000,
        refresh_from: 1_780_000_000_900_000,
        refresh_response_key: 'q1w2e3r4t5y6u7i8o9p0asdfghjklzxcvbnm+/1234=',
      },
    };
    expect(generateAnswerJson(success)).toBe(JSON.stringify(success));
    expect(generateAnswerJson({ status: 'optout' })).toBe(JSON.stringify({ status: 'optout' }));
  });
});
