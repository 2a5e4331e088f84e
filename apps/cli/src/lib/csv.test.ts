import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvLine, readCsv } from './csv.js';

async function rows(chunks: (string | Buffer)[], startOffset = 0) {
  const out: { cells: string[]; line: number; endOffset: number }[] = [];
  for await (const row of readCsv(Readable.from(chunks), startOffset)) out.push(row);
  return out;
}

describe('readCsv', () => {
  it('splits plain lines with LF and CRLF endings and skips blank lines', async () => {
    expect(await rows(['a,b\r\n\nc,d\ne'])).toEqual([
      { cells: ['a', 'b'], line: 1, endOffset: 5 },
      { cells: ['c', 'd'], line: 3, endOffset: 10 },
      { cells: ['e'], line: 4, endOffset: 11 },
    ]);
  });

  it('reads quoted cells with commas, escaped quotes and line breaks', async () => {
    const text = 'type,identifier\nemail,"a,b@x.com"\r\nphone,"say ""hi""\nthere"\nlast,"q"tail\n';
    const result = await rows([text]);
    expect(result.map((r) => r.cells)).toEqual([
      ['type', 'identifier'],
      ['email', 'a,b@x.com'],
      ['phone', 'say "hi"\nthere'],
      ['last', 'qtail'],
    ]);
    expect(result.map((r) => r.line)).toEqual([1, 2, 3, 5]);
    expect(result.at(-1)?.endOffset).toBe(Buffer.byteLength(text));
  });

  it('gives the same records however the input is chunked', async () => {
    const text = '\uFEFFemail,"a""b"\r\nphone,+1234567890\n"x\ny",z\nü@é.com\n';
    const whole = await rows([text]);
    const bytes = Buffer.from(text);
    for (let size = 1; size <= 7; size++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(await rows(chunks)).toEqual(whole);
    }
    expect(whole[0]).toEqual({ cells: ['email', 'a"b'], line: 1, endOffset: 17 });
    expect(whole.at(-1)?.cells).toEqual(['ü@é.com']);
  });

  it('reports offsets relative to where reading resumed', async () => {
    expect(await rows(['x\n'], 100)).toEqual([{ cells: ['x'], line: 1, endOffset: 102 }]);
  });

  it('rejects an unterminated quoted field at the end of input', async () => {
    await expect(rows(['a,"open\n'])).rejects.toThrow(SyntaxError);
  });
});

describe('csvLine', () => {
  it('quotes only cells that need it', () => {
    expect(csvLine(['a', 'b,c', 'say "x"', 'l\nf', 3, null, undefined])).toBe(
      'a,"b,c","say ""x""","l\nf",3,,\n',
    );
  });
});
