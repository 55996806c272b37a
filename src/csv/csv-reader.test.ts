// The CSV reader against the files a real ITFlow wrote, Excel's habits, and any chunking of the input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_COLUMNS, readCsv, unguardCell, type CsvDialect, type CsvRecord } from './csv-reader.ts';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/itflow/${name}`, import.meta.url), 'utf8');

async function all(input: Iterable<string>): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const record of readCsv(input)) out.push(record);
  return out;
}

describe('reading CSV', () => {
  it("reads ITFlow's import template and interface files", async () => {
    const template = await all([fixture('itflow-asset-import-template.csv')]);
    expect(template).toEqual([
      {
        line: 1,
        cells: ['Name', 'Description', 'Type', 'Make', 'Model', 'Serial', 'OS', 'Purchase Date', 'Assigned To', 'Location', 'Physical Location', 'Notes'],
      },
    ]);
    const interfaces = await all([fixture('itflow-interfaces-export.csv')]);
    expect(interfaces.map((r) => r.cells.length)).toEqual([8, 8, 8, 8]);
    expect(interfaces[3]!.cells).toEqual([
      'NIC2',
      'Storage/backup NIC, "jumbo" frames, MTU 9000',
      'SFP+',
      'B0:26:28:AA:10:02',
      '10.0.0.10',
      '203.0.113.10',
      'fd00::10',
      '',
    ]);
  });

  it("reads ITFlow's export whole, including a quote after a backslash, line breaks and 4-byte characters", async () => {
    const records = await all([fixture('itflow-export-default.csv')]);
    expect(records).toHaveLength(27);
    expect(records.every((r) => r.cells.length === 14)).toBe(true);
    const nas = records.find((r) => r.cells[0] === 'NAS-Backup')!;
    expect(unguardCell(nas.cells[13]!)).toBe('@backup share is \\\\NAS-BACKUP\\veeam; installer in "C:\\Program Files\\"');
    expect(records.find((r) => r.cells[0] === 'Old-Server-2012')).toBeTruthy();
    expect(records.some((r) => r.cells.some((c) => c.includes('\r\n')))).toBe(true);
    expect(records.some((r) => /[\u{10000}-\u{10FFFF}]/u.test(r.cells.join('')))).toBe(true);
  });

  it('gives the same records however the input is cut into chunks', async () => {
    const text = fixture('itflow-export-default.csv');
    const whole = await all([text]);
    expect(await all(text.split(''))).toEqual(whole);
    expect(await all(text.match(/[\s\S]{1,7}/g)!)).toEqual(whole);
  });

  it("reads Excel's habits: byte-order mark, CRLF, blank lines, a path ending in a backslash", async () => {
    const records = await all(['\uFEFFName,Notes\r\n', '\r\n', 'PC-1,"C:\\",\r\n', 'PC-2,"two\r\nlines"\r\n', '\r\n']);
    expect(records).toEqual([
      { line: 1, cells: ['Name', 'Notes'] },
      { line: 3, cells: ['PC-1', 'C:\\', ''] },
      { line: 4, cells: ['PC-2', 'two\r\nlines'] },
    ]);
    await expect(all(['Name\n"open'])).rejects.toThrow('line 2: a quoted value is not closed');
    expect(unguardCell("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(unguardCell("'quoted")).toBe("'quoted");
  });
});

describe('a backslash before quotes, as RFC 4180 and ITFlow each write it', () => {
  it('reads both writers back exactly, whatever the run of quotes and whatever follows it', async () => {
    // RFC 4180 writers (Steward, Excel) double every quote and end records with CRLF; ITFlow leaves the
    // quote after a backslash alone and ends records with LF.
    const values = ['C:\\"', 'a\\"b', 'a\\""b', '\\"\\"', 'end\\', 'x\\"""', '"\\"', 'x\\"\r\ny', 'x\\",y', 'x\\"\ny'];
    const rfc = { end: '\r\n', encode: (v: string) => `"${v.replaceAll('"', '""')}"` };
    const itflow = { end: '\n', encode: (v: string) => `"${v.replace(/(\\)?"/g, (m, slash) => (slash ? m : '""'))}"` };
    for (const v of values) {
      for (const { end, encode } of [rfc, itflow]) {
        // A value ITFlow cannot tell from the end of a value (a backslash, a quote, then a comma or
        // line break) is read as the end, as ITFlow means it; only RFC files keep such values.
        if (end === '\n' && /\\"[,\n]/.test(v)) continue;
        const text = `Name,Notes${end}${encode(v)},tail${end}next,row${end}`;
        const records = await all([text]);
        expect(
          records.map((r) => r.cells),
          JSON.stringify(text),
        ).toEqual([
          ['Name', 'Notes'],
          [v, 'tail'],
          ['next', 'row'],
        ]);
        expect(await all(text.split(''))).toEqual(records);
      }
    }
  });

  it('decodes a multi-byte character split between two chunks of a file', async () => {
    const bytes = Buffer.from('Name\nZürich 🚀\n', 'utf8');
    const records: CsvRecord[] = [];
    for await (const r of readCsv([...bytes].map((b) => Buffer.from([b])))) records.push(r);
    expect(records.map((r) => r.cells[0])).toEqual(['Name', 'Zürich 🚀']);
  });
});

describe('file encodings', () => {
  it("reads Excel's Windows-1252 CSV (not UTF-8) with its accents intact", async () => {
    const bytes = Buffer.from([...Buffer.from('Name,Location\r\nDrucker B'), 0xfc, ...Buffer.from('ro,Z'), 0xfc, ...Buffer.from('rich\r\n')]);
    const records: CsvRecord[] = [];
    for await (const r of readCsv([bytes])) records.push(r);
    expect(records[1]!.cells).toEqual(['Drucker Büro', 'Zürich']);
  });

  it('reads Windows-1252 whose first accent comes after the first chunk, even split across chunks', async () => {
    const head = Buffer.from(`Name,Notes\r\n${'A'.repeat(5000)},x\r\nB`);
    const dialect: CsvDialect = { encoding: 'UTF-8', delimiter: ',' };
    const records: CsvRecord[] = [];
    // A lead byte of UTF-8 (é is 0xE9 in Windows-1252) ends a chunk; the next starts with ASCII.
    for await (const r of readCsv([head, Buffer.from([0xe9]), Buffer.from('t\r\n')], dialect)) records.push(r);
    expect(records[2]!.cells).toEqual(['Bét']);
    expect(dialect.encoding).toBe('Windows-1252');
  });

  it('reads UTF-16 by its byte-order mark, tab-separated, arriving a byte at a time', async () => {
    for (const bigEndian of [false, true]) {
      const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Name\tNotes\r\nCafé 𝄞\t"a, b"\r\n', 'utf16le')]);
      if (bigEndian) bytes.swap16();
      const dialect: CsvDialect = { encoding: 'UTF-8', delimiter: ',' };
      const records: CsvRecord[] = [];
      for await (const r of readCsv(
        [...bytes].map((b) => Buffer.from([b])),
        dialect,
      ))
        records.push(r);
      expect(records.map((r) => r.cells)).toEqual([
        ['Name', 'Notes'],
        ['Café 𝄞', 'a, b'],
      ]);
      expect(dialect).toEqual({ encoding: bigEndian ? 'UTF-16BE' : 'UTF-16LE', delimiter: '\t' });
    }
  });

  it('refuses a file that turns from UTF-8 into something else, naming the line', async () => {
    const bytes = [Buffer.from('Name\nCafé\n'), Buffer.from([0x42, 0xfc, 0x0a])];
    await expect(all(bytes as unknown as string[])).rejects.toThrow('line 3: the file is not valid UTF-8');
  });
});

describe('bounds', () => {
  const row = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`).join(',');

  it(`reads up to ${MAX_COLUMNS} columns and refuses more, naming the line`, async () => {
    expect((await all([`${row(MAX_COLUMNS)}\n`]))[0]!.cells).toHaveLength(MAX_COLUMNS);
    await expect(all([`Name\n${row(MAX_COLUMNS + 1)}\n`])).rejects.toThrow('line 2: more than 500 columns');
  });

  it('refuses a value over 64 KB and a line over 1 MB, quoted or not, however it arrives', async () => {
    await expect(all(['Name\n', `"${'x'.repeat(40_000)}`, `${'x'.repeat(40_000)}"\n`])).rejects.toThrow('line 2: a value is longer than 64 KB');
    await expect(all([`Name\n${'x'.repeat(70_000)}\n`])).rejects.toThrow('line 2: a value is longer than 64 KB');
    const wide = Array.from({ length: 20 }, () => 'y'.repeat(60_000)).join(',');
    await expect(all([`Name\nok\n${wide}\n`])).rejects.toThrow('line 3: the line is longer than 1 MB');
    await expect(all(['Name\n"\\', '"'.repeat(1_100_000)])).rejects.toThrow('line 2: the line is longer than 1 MB');
  });
});
