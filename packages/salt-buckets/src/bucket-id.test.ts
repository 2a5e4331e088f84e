import { describe, expect, it } from 'vitest';
import { BUCKET_ID_MIN_LENGTH, bucketIdFor, createBucketIdEncoder } from './bucket-id.js';

const ID_PREFIX = 'b';
const ID_SECRET = 'HF6Qz42HBbVHINxhh191dB09BCuTWyBkNtrNicO4ZCw=';

/**
 * Independent port of Java `org.hashids.Hashids` 1.0.3 (constructor with salt + min length,
 * `encode(long)`), written with Java's string operations (substring, integer division) to check
 * the npm `hashids` package against it.
 */
class JavaHashids103 {
  private alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890';
  private seps = 'cfhistuCFHISTU';
  private readonly guards: string;

  constructor(
    private readonly salt: string,
    private readonly minHashLength: number,
  ) {
    for (let i = 0; i < this.seps.length; i++) {
      const j = this.alphabet.indexOf(this.seps.charAt(i));
      if (j === -1) this.seps = `${this.seps.substring(0, i)} ${this.seps.substring(i + 1)}`;
      else this.alphabet = `${this.alphabet.substring(0, j)} ${this.alphabet.substring(j + 1)}`;
    }
    this.alphabet = this.alphabet.replace(/\s+/g, '');
    this.seps = this.seps.replace(/\s+/g, '');
    this.seps = JavaHashids103.consistentShuffle(this.seps, this.salt);
    // Java: int / int compared with the double 3.5.
    if (this.seps === '' || Math.trunc(this.alphabet.length / this.seps.length) > 3.5) {
      let sepsLength = Math.ceil(this.alphabet.length / 3.5);
      if (sepsLength === 1) sepsLength++;
      if (sepsLength > this.seps.length) {
        const diff = sepsLength - this.seps.length;
        this.seps += this.alphabet.substring(0, diff);
        this.alphabet = this.alphabet.substring(diff);
      } else {
        this.seps = this.seps.substring(0, sepsLength);
      }
    }
    this.alphabet = JavaHashids103.consistentShuffle(this.alphabet, this.salt);
    const guardCount = Math.ceil(this.alphabet.length / 12);
    if (this.alphabet.length < 3) {
      this.guards = this.seps.substring(0, guardCount);
      this.seps = this.seps.substring(guardCount);
    } else {
      this.guards = this.alphabet.substring(0, guardCount);
      this.alphabet = this.alphabet.substring(guardCount);
    }
  }

  encode(number: number): string {
    const numberHashInt = number % 100;
    let alphabet = this.alphabet;
    const lottery = alphabet.charAt(numberHashInt % alphabet.length);
    let ret = lottery;
    const buffer = lottery + this.salt + alphabet;
    alphabet = JavaHashids103.consistentShuffle(alphabet, buffer.substring(0, alphabet.length));
    ret += JavaHashids103.hash(number, alphabet);
    if (ret.length < this.minHashLength) {
      ret = this.guards.charAt((numberHashInt + ret.charCodeAt(0)) % this.guards.length) + ret;
      if (ret.length < this.minHashLength) {
        ret += this.guards.charAt((numberHashInt + ret.charCodeAt(2)) % this.guards.length);
      }
    }
    const halfLength = Math.trunc(alphabet.length / 2);
    while (ret.length < this.minHashLength) {
      alphabet = JavaHashids103.consistentShuffle(alphabet, alphabet);
      ret = alphabet.substring(halfLength) + ret + alphabet.substring(0, halfLength);
      const excess = ret.length - this.minHashLength;
      if (excess > 0) {
        const start = Math.trunc(excess / 2);
        ret = ret.substring(start, start + this.minHashLength);
      }
    }
    return ret;
  }

  private static consistentShuffle(alphabet: string, salt: string): string {
    if (salt.length <= 0) return alphabet;
    let result = alphabet;
    for (let i = result.length - 1, v = 0, p = 0; i > 0; i--, v++) {
      v %= salt.length;
      const ascii = salt.charCodeAt(v);
      p += ascii;
      const j = (ascii + v + p) % i;
      const tmp = result.charAt(j);
      result = result.substring(0, j) + result.charAt(i) + result.substring(j + 1);
      result = result.substring(0, i) + tmp + result.substring(i + 1);
    }
    return result;
  }

  private static hash(input: number, alphabet: string): string {
    let out = '';
    let value = input;
    do {
      out = alphabet.charAt(value % alphabet.length) + out;
      value = Math.trunc(value / alphabet.length);
    } while (value > 0);
    return out;
  }
}

describe('createBucketIdEncoder', () => {
  const encode = createBucketIdEncoder(ID_PREFIX, ID_SECRET);

  it('gives these ids for the rows of the operator test salt file', () => {
    expect([1000000, 1000001, 1000002, 1000003, 1000004].map(encode)).toEqual([
      'bKaoveQoPR',
      'b1aZVGl7aB',
      'bv3WM92zaA',
      'bl5yy6kr58',
      'be58Mjz13q',
    ]);
  });

  it('checks the Java port itself against the documented hashids examples', () => {
    expect(new JavaHashids103('this is my salt', 0).encode(12345)).toBe('NkK9');
    expect(new JavaHashids103('this is my salt', 8).encode(1)).toBe('gB0NV05e');
  });

  it('matches an independent port of Java org.hashids 1.0.3 on many ids', () => {
    const java = new JavaHashids103(ID_SECRET, BUCKET_ID_MIN_LENGTH);
    const ids = [0, 1, 2, 99, 100, 101, 1_048_575, 1_048_576, 2_147_483_647];
    for (let id = 0; id < 3000; id++) ids.push(id, 1_000_000 + id, id * 7919);
    for (const id of ids) expect(encode(id), String(id)).toBe(ID_PREFIX + java.encode(id));
  });

  it('matches the Java port with other salts too', () => {
    for (const secret of ['', 'this is my salt', 'x', ID_SECRET.repeat(3)]) {
      const mine = createBucketIdEncoder('', secret);
      const java = new JavaHashids103(secret, BUCKET_ID_MIN_LENGTH);
      for (const id of [0, 7, 123456, 1_000_003]) expect(mine(id)).toBe(java.encode(id));
    }
  });

  it('rejects ids that are negative or not integers', () => {
    expect(() => encode(-1)).toThrow(TypeError);
    expect(() => encode(1.5)).toThrow(TypeError);
  });
});

describe('bucketIdFor', () => {
  it('reuses the encoder of the last metadata and switches when it changes', () => {
    expect(bucketIdFor(ID_PREFIX, ID_SECRET, 1000000)).toBe('bKaoveQoPR');
    expect(bucketIdFor(ID_PREFIX, ID_SECRET, 1000001)).toBe('b1aZVGl7aB');
    expect(bucketIdFor('x', ID_SECRET, 1000000)).toBe('xKaoveQoPR');
    expect(bucketIdFor('x', 'other', 1000000)).not.toBe('xKaoveQoPR');
  });
});
