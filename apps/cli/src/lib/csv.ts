const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** One CSV record with where it ends in the file, so an import can resume right after it. */
export interface CsvRow {
  readonly cells: string[];
  /** 1-based physical line number where the record starts. */
  readonly line: number;
  /** Byte offset just past the record (and its line break). */
  readonly endOffset: number;
}

/**
 * Streams RFC 4180 CSV records from UTF-8 chunks: quoted fields (with `""` escapes and line
 * breaks inside), LF or CRLF endings, a UTF-8 BOM at offset 0, blank lines skipped. Works on bytes
 * so `endOffset` is exact; lines without quotes take a fast split path.
 *
 * @param startOffset byte offset of the first chunk in the file (when resuming mid-file)
 * @param startLine line number of the first chunk (when resuming)
 */
export async function* readCsv(
  chunks: AsyncIterable<Buffer | string>,
  startOffset = 0,
  startLine = 1,
): AsyncGenerator<CsvRow> {
  let pending: Buffer = Buffer.alloc(0);
  let base = startOffset; // file offset of pending[0]
  let line = startLine;
  for await (const chunk of chunks) {
    let buffer = pending.length === 0 ? toBuffer(chunk) : Buffer.concat([pending, toBuffer(chunk)]);
    if (base === 0 && buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
      buffer = buffer.subarray(3);
      base = 3;
    }
    let pos = 0;
    for (;;) {
      const record = nextRecord(buffer, pos, false);
      if (record === undefined) break;
      const rowLine = line;
      line += record.lines;
      pos = record.end;
      if (record.cells !== undefined) yield { cells: record.cells, line: rowLine, endOffset: base + pos };
    }
    pending = buffer.subarray(pos);
    base += pos;
  }
  if (pending.length > 0) {
    const record = nextRecord(pending, 0, true);
    if (record?.cells !== undefined) yield { cells: record.cells, line, endOffset: base + record.end };
  }
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

interface Record {
  /** `undefined` for a blank line. */
  readonly cells: string[] | undefined;
  readonly end: number;
  readonly lines: number;
}

function nextRecord(buffer: Buffer, pos: number, final: boolean): Record | undefined {
  if (pos >= buffer.length) return undefined;
  const newline = buffer.indexOf(LF, pos);
  // A quote only matters on this line; `indexOf` would scan the rest of the chunk for every row.
  if (!hasQuote(buffer, pos, newline === -1 ? buffer.length : newline)) {
    if (newline === -1 && !final) return undefined;
    const stop = newline === -1 ? buffer.length : newline;
    const contentEnd = stop > pos && buffer[stop - 1] === CR ? stop - 1 : stop;
    const text = buffer.toString('utf8', pos, contentEnd);
    const end = newline === -1 ? buffer.length : newline + 1;
    return { cells: text === '' ? undefined : text.split(','), end, lines: 1 };
  }
  return quotedRecord(buffer, pos, final);
}

function hasQuote(buffer: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buffer[i] === QUOTE) return true;
  return false;
}

function quotedRecord(buffer: Buffer, pos: number, final: boolean): Record | undefined {
  const cells: string[] = [];
  let lines = 1;
  let i = pos;
  for (;;) {
    let cell: string;
    if (buffer[i] === QUOTE) {
      const parts: string[] = [];
      let start = i + 1;
      let j = start;
      for (;;) {
        if (j >= buffer.length) {
          if (!final) return undefined;
          throw new SyntaxError(`unterminated quoted field on line ${lines}`);
        }
        const byte = buffer[j];
        if (byte === LF) lines++;
        if (byte !== QUOTE) {
          j++;
          continue;
        }
        if (buffer[j + 1] === QUOTE) {
          parts.push(buffer.toString('utf8', start, j + 1));
          j += 2;
          start = j;
          continue;
        }
        if (j + 1 >= buffer.length && !final) return undefined;
        break;
      }
      parts.push(buffer.toString('utf8', start, j));
      cell = parts.join('');
      i = j + 1;
      // Text after the closing quote up to the delimiter is kept, as lenient parsers do.
      const tail = scanPlain(buffer, i);
      if (tail.stop === -1 && !final) return undefined;
      cell += buffer.toString('utf8', i, tail.contentEnd);
      i = tail.stop === -1 ? buffer.length : tail.stop;
    } else {
      const plain = scanPlain(buffer, i);
      if (plain.stop === -1 && !final) return undefined;
      const stop = plain.stop === -1 ? buffer.length : plain.stop;
      cell = buffer.toString('utf8', i, plain.contentEnd);
      i = stop;
    }
    cells.push(cell);
    if (i >= buffer.length) return { cells, end: buffer.length, lines };
    if (buffer[i] === COMMA) {
      i++;
      continue;
    }
    // Line break (LF, or CR LF).
    const end = buffer[i] === CR ? i + 2 : i + 1;
    return { cells, end: Math.min(end, buffer.length), lines };
  }
}

/** Finds the end of an unquoted cell: the next comma or line break (-1: none in the buffer). */
function scanPlain(buffer: Buffer, from: number): { readonly stop: number; readonly contentEnd: number } {
  for (let j = from; j < buffer.length; j++) {
    const byte = buffer[j];
    if (byte === COMMA || byte === LF) return { stop: j, contentEnd: j };
    if (byte === CR && buffer[j + 1] === LF) return { stop: j, contentEnd: j };
  }
  return { stop: -1, contentEnd: buffer.length };
}

/** Formats one CSV line (with `\n`), quoting cells that contain a comma, quote or line break. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
