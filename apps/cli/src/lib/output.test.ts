import { describe, expect, it } from 'vitest';
import { formatRecord, formatTable, isoMs, isoSeconds } from './output.js';

describe('human output', () => {
  it('aligns table columns and renders missing cells as a dash', () => {
    const rows = [
      { id: 1, name: 'alpha', note: null },
      { id: 1000, name: '', note: 'x' },
    ];
    const table = formatTable(
      [
        { header: 'ID', value: (r: (typeof rows)[number]) => r.id },
        { header: 'NAME', value: (r) => r.name },
        { header: 'NOTE', value: (r) => r.note },
      ],
      rows,
    );
    expect(table).toBe('ID    NAME   NOTE\n1     alpha  -\n1000  -      x\n');
  });

  it('aligns key: value records', () => {
    expect(
      formatRecord([
        ['a', 1],
        ['long key', true],
        ['c', undefined],
      ]),
    ).toBe('a:        1\nlong key: true\nc:        -\n');
  });

  it('formats epoch seconds and milliseconds as UTC ISO-8601', () => {
    expect(isoSeconds(0)).toBe('1970-01-01T00:00:00Z');
    expect(isoMs(1_767_225_600_123)).toBe('2026-01-01T00:00:00.123Z');
  });
});
