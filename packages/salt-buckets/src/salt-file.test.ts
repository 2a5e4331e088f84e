import { describe, expect, it } from 'vitest';
import { SaltError } from './salt-error.js';
import { parseSaltFile, parseSaltFileLine } from './salt-file.js';

const LINE =
  '1000002,1798588800001,,1806364800000,,2100002,key12345key12345key12345key12340,salt1234salt1234salt1234salt1230,2000002,key12345key12345key12345key12345,salt1234salt1234salt1234salt1234';

function detailOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SaltError);
    expect((error as SaltError).code).toBe('ERR_SALT_FILE_FORMAT');
    return (error as SaltError).detail;
  }
  throw new Error('expected a SaltError');
}

describe('parseSaltFileLine', () => {
  it('reads key material and turns blank text columns into null', () => {
    expect(parseSaltFileLine(`${LINE}\r`)).toEqual({
      id: 1000002,
      lastUpdatedMs: 1798588800001,
      currentSalt: null,
      refreshFromMs: 1806364800000,
      previousSalt: null,
      currentKey: {
        id: 2100002,
        key: 'key12345key12345key12345key12340',
        salt: 'salt1234salt1234salt1234salt1230',
      },
      previousKey: {
        id: 2000002,
        key: 'key12345key12345key12345key12345',
        salt: 'salt1234salt1234salt1234salt1234',
      },
    });
  });

  it('treats whitespace-only salts and incomplete key material as absent', () => {
    const row = parseSaltFileLine('1,2, ,3,  ,9,,salt,,key,salt');
    expect(row).toMatchObject({ currentSalt: null, previousSalt: null, currentKey: null, previousKey: null });
  });

  it('rejects a wrong column count and non-integer numbers, naming the line', () => {
    expect(detailOf(() => parseSaltFileLine('1,2,salt,3', 7))).toBe(7);
    expect(detailOf(() => parseSaltFileLine(`${LINE},extra`, 1))).toBe(1);
    expect(detailOf(() => parseSaltFileLine('x,2,salt,3,,,,,,,', 2))).toBe(2);
    expect(detailOf(() => parseSaltFileLine('2147483648,2,salt,3,,,,,,,', 3))).toBe(3);
    expect(detailOf(() => parseSaltFileLine('1,2.5,salt,3,,,,,,,', 4))).toBe(4);
    expect(detailOf(() => parseSaltFileLine('1,99999999999999999999,salt,3,,,,,,,', 5))).toBe(5);
    expect(detailOf(() => parseSaltFileLine('1,2,salt,,,,,,,,', 6))).toBe(6);
    expect(detailOf(() => parseSaltFileLine('1,2,salt,3,,k,key,salt,,,', 8))).toBe(8);
  });

  it('accepts signed integers like Java parseInt and parseLong', () => {
    expect(parseSaltFileLine('+5,-1,salt,+3,,,,,,,')).toMatchObject({
      id: 5,
      lastUpdatedMs: -1,
      refreshFromMs: 3,
    });
  });
});

describe('parseSaltFile', () => {
  it('numbers buckets by line and ignores one trailing newline', () => {
    const buckets = parseSaltFile('1,10,a,20,,,,,,,\r\n2,11,b,21,,,,,,,\n', (id) => `b${id}`);
    expect(buckets.map((b) => [b.index, b.bucketId, b.currentSalt])).toEqual([
      [0, 'b1', 'a'],
      [1, 'b2', 'b'],
    ]);
  });

  it('reports the line of an empty line in the middle', () => {
    expect(detailOf(() => parseSaltFile('1,10,a,20,,,,,,,\n\n2,11,b,21,,,,,,,', String))).toBe(1);
  });
});
