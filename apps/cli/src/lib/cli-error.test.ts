import { describe, expect, it } from 'vitest';
import { CliError, describeError, exitCodeOf, usageError } from './cli-error.js';

describe('CLI errors', () => {
  it('describes coded errors with their code and hides stacks', () => {
    const coded = Object.assign(new Error('the requested record does not exist'), {
      code: 'ERR_DB_NOT_FOUND',
    });
    expect(describeError(coded)).toBe('ERR_DB_NOT_FOUND: the requested record does not exist');
    expect(describeError(new Error('plain'))).toBe('plain');
    expect(describeError('text')).toBe('unexpected failure: text');
    expect(describeError(new CliError('one line'))).toBe('one line');
  });

  it('uses exit code 2 for usage mistakes and 1 otherwise', () => {
    expect(exitCodeOf(usageError('bad flag'))).toBe(2);
    expect(exitCodeOf(new CliError('failed'))).toBe(1);
    expect(exitCodeOf(new Error('boom'))).toBe(1);
  });
});
