import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { detectLayout, identifierOf, parseKind } from './identifiers.js';

describe('identifier layout', () => {
  it('reads a header with identifier and type columns in any order', () => {
    const layout = detectLayout(['Identifier', 'Type'], undefined);
    expect(layout).toEqual({ header: true, typeIndex: 1, valueIndex: 0, fixedKind: undefined });
    expect(identifierOf(['a@b.com', 'EMAIL'], layout)).toEqual({ kind: 'email', value: 'a@b.com' });
    expect(identifierOf(['x', 'fax'], layout)).toMatchObject({
      kind: undefined,
      problem: 'unknown identifier type',
    });
  });

  it('takes a single kind header as the kind of every row', () => {
    const layout = detectLayout(['email_hash'], undefined);
    expect(identifierOf(['tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ='], layout).kind).toBe('email_hash');
  });

  it('reads headerless type,identifier pairs and single identifiers', () => {
    const pairs = detectLayout(['phone', '+12345678901'], undefined);
    expect(pairs.header).toBe(false);
    expect(identifierOf(['phone_hash', 'abc'], pairs)).toEqual({ kind: 'phone_hash', value: 'abc' });
    expect(detectLayout(['type', 'value'], undefined).header).toBe(true);
    const single = detectLayout(['user@example.com'], undefined);
    expect(single.header).toBe(false);
    expect(identifierOf([' +12345678901 '], single)).toEqual({ kind: 'phone', value: '+12345678901' });
    expect(identifierOf(['tMmiiTI7'], single)).toMatchObject({ kind: undefined });
    expect(identifierOf(['tMmiiTI7'], detectLayout(['x'], 'email_hash')).kind).toBe('email_hash');
  });

  it('parses --type and refuses unknown kinds', () => {
    expect(parseKind(undefined)).toBeUndefined();
    expect(parseKind('Email-Hash')).toBe('email_hash');
    expect(() => parseKind('fax')).toThrow(CliError);
  });
});
