import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { collect, commaList, integer, integerList } from './lists.js';

describe('flag lists', () => {
  it('splits comma lists and drops empty items', () => {
    expect(commaList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(commaList(undefined)).toEqual([]);
  });

  it('parses integers and refuses anything else as a usage error', () => {
    expect(integer('-2', 'x')).toBe(-2);
    expect(integerList('1,2', 'x')).toEqual([1, 2]);
    expect(() => integer('1.5', '--id')).toThrow(CliError);
    expect(() => integer(' ', '--id')).toThrow('--id must be an integer');
  });

  it('collects repeated flags', () => {
    expect(collect('b', collect('a'))).toEqual(['a', 'b']);
  });
});
