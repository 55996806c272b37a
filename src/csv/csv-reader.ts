// Reads the CSV files MSPs bring: RFC 4180 (quoted fields with commas, doubled quotes and line
// breaks; CRLF or LF) and the files ITFlow writes. ITFlow
// uses PHP's fputcsv with a backslash escape, which leaves a quote after a backslash undoubled
// (`"C:\Program Files\""` holds `"C:\Program Files\"`); a strict RFC 4180 parser (csv-parse too)
// merges such a row with the next. Which writer made a file shows at the end of its first line:
// ITFlow ends records with LF, while Excel, Steward and other RFC 4180 writers end them with CRLF, and in
// their files a backslash is an ordinary character. In an LF file, a backslash followed by a run of
// quotes is read the way that fits: a run RFC 4180 cannot produce (odd mid-value, even before the end of
// the value) is ITFlow's, and where both fit, the run closes the value, as ITFlow's rows do. Blank lines
// are skipped; records come one at a time, so any size reads in constant memory.
//
// Encodings: a byte-order mark says UTF-8, UTF-16LE or UTF-16BE (Excel's "Unicode text" is UTF-16LE,
// tab-separated); without one, UTF-8, unless the bytes are not valid UTF-8: then Windows-1252 (Excel's
// plain "CSV" on Windows). A heading line with more tabs than commas makes the file tab-separated.
//
// Bounds, so that no file can exhaust the memory of the process reading it: at most MAX_COLUMNS values
// in a record, MAX_CELL_CHARS characters in a value and MAX_LINE_CHARS in a record.
import { ValidationError } from '../platform/errors.ts';

export const MAX_COLUMNS = 500;
export const MAX_CELL_CHARS = 64 * 1024;
export const MAX_LINE_CHARS = 1024 * 1024;
const LINE_TOO_LONG = `the line is longer than 1 MB (${MAX_LINE_CHARS.toLocaleString('en-US')} characters), the most Steward reads`;

/** Characters that end a run of ordinary ones: inside quotes, and outside (with the delimiter). */
const QUOTED_SPECIAL = new Set([0x22, 0x5c, 0x0a, 0x0d]);

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  cells: string[];
}

export type CsvEncoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'Windows-1252';

/** How a file was read, known once its first record is read (filled in by readCsv). */
export interface CsvDialect {
  encoding: CsvEncoding;
  delimiter: ',' | '\t';
}

/** The file itself is at fault (not valid CSV, or past a bound): the user's to fix. */
export class CsvError extends ValidationError {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super([{ field: 'file', code: 'unreadable_csv', message: `line ${line}: ${problem}` }]);
    this.message = `line ${line}: ${problem}`;
  }
}

/** Turns bytes into text in the encoding the file's first bytes reveal. */
class Decoder {
  encoding: CsvEncoding = 'UTF-8';
  private decoder: TextDecoder | null = null;
  private head = Buffer.alloc(0);
  /** Whether all the text so far was ASCII, which UTF-8 and Windows-1252 read alike. */
  private ascii = true;
  /** While it is: the bytes the UTF-8 decoder may be holding back (the start of a character). */
  private held = Buffer.alloc(0);

  /** Text from the next bytes; nothing until enough bytes have come to recognise a byte-order mark. */
  decode(raw: Buffer, final: boolean, lineAt: (before: string) => number): string {
    if (!this.decoder) {
      this.head = Buffer.concat([this.head, raw]);
      if (this.head.length < 2 && !final) return '';
      raw = this.start(this.head);
    }
    if (this.encoding !== 'UTF-8') return this.decoder!.decode(raw, { stream: !final });
    try {
      const text = this.decoder!.decode(raw, { stream: !final });
      if (this.ascii) this.keepAsciiState(text, raw);
      return text;
    } catch {
      // Not UTF-8. All before was ASCII, which reads the same, so the whole file is read as Windows-1252.
      if (!this.ascii) {
        const text = new TextDecoder('utf-8').decode(raw);
        throw new CsvError(
          lineAt(text.slice(0, text.indexOf('\ufffd'))),
          'the file is not valid UTF-8 from here on, though it was before: save it again as "CSV UTF-8"',
        );
      }
      this.encoding = 'Windows-1252';
      this.decoder = new TextDecoder('windows-1252');
      return this.decoder.decode(Buffer.concat([this.held, raw]), { stream: !final });
    }
  }

  private keepAsciiState(text: string, raw: Buffer): void {
    if (/[^\x00-\x7f]/.test(text)) {
      this.ascii = false;
      return;
    }
    let k = raw.length;
    while (k > 0 && raw[k - 1]! >= 0x80) k--;
    this.held = k === 0 ? Buffer.concat([this.held, raw]) : Buffer.from(raw.subarray(k));
  }

  private start(head: Buffer): Buffer {
    if (head[0] === 0xff && head[1] === 0xfe) this.encoding = 'UTF-16LE';
    else if (head[0] === 0xfe && head[1] === 0xff) this.encoding = 'UTF-16BE';
    const label = { 'UTF-8': 'utf-8', 'UTF-16LE': 'utf-16le', 'UTF-16BE': 'utf-16be', 'Windows-1252': 'windows-1252' }[this.encoding];
    this.decoder = new TextDecoder(label, { fatal: this.encoding === 'UTF-8' });
    return head;
  }
}

/** The delimiter of a file, from its first line: a tab when it holds more tabs than commas. */
function delimiterOf(text: string): ',' | '\t' {
  const end = text.search(/[\r\n]/);
  const first = end < 0 ? text : text.slice(0, end);
  let tabs = 0;
  let commas = 0;
  for (let i = 0; i < first.length; i++) {
    const c = first.charCodeAt(i);
    if (c === 0x09) tabs++;
    else if (c === 0x2c) commas++;
  }
  return tabs > commas ? '\t' : ',';
}

/**
 * Records from text arriving in chunks (a file stream, an upload, or one string). `dialect`, if given,
 * is filled in with the encoding and delimiter the file is read with.
 */
export async function* readCsv(chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>, dialect?: CsvDialect): AsyncGenerator<CsvRecord> {
  let cells: string[] = [];
  let cell = '';
  /** Characters of the record before the current value. */
  let recordChars = 0;
  let quoted = false;
  let inQuotes = false;
  let line = 1;
  let startLine = 1;
  let carry = '';
  let first = true;
  let delimiter = 0x2c;
  let plainSpecial = new Set([delimiter, 0x0a, 0x0d]);
  // Until the first record ends with CRLF, a backslash before a quote may be ITFlow's escape.
  let backslashEscapes = true;
  const decoder = new Decoder();

  const checkCell = () => {
    if (cell.length > MAX_CELL_CHARS)
      throw new CsvError(startLine, `a value is longer than 64 KB (${MAX_CELL_CHARS.toLocaleString('en-US')} characters), the most Steward reads`);
    if (recordChars + cell.length > MAX_LINE_CHARS) throw new CsvError(startLine, LINE_TOO_LONG);
  };
  const endCell = () => {
    cells.push(cell);
    recordChars += cell.length + 1;
    cell = '';
    quoted = false;
    if (cells.length >= MAX_COLUMNS) throw new CsvError(startLine, `more than ${MAX_COLUMNS} columns, the most Steward reads`);
  };

  const endRecord = (): CsvRecord | null => {
    cells.push(cell);
    const record = { line: startLine, cells };
    const blank = cells.length === 1 && cells[0] === '' && !quoted;
    cells = [];
    cell = '';
    recordChars = 0;
    quoted = false;
    return blank ? null : record;
  };

  /**
   * Consumes as much of `text` as can be decided; unless `final`, stops where a decision needs
   * characters not yet read, and returns how far it got.
   */
  function* consume(text: string, final: boolean): Generator<CsvRecord, number> {
    const n = text.length;
    // Runs of ordinary characters stop short of the last one unless the input is complete.
    const limit = final ? n : n - 1;
    let i = 0;
    for (; i < n; i++) {
      // Every decision below looks at most one character ahead, except the backslash's quote run.
      if (!final && i + 1 >= n) break;
      const ch = text[i]!;
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i++;
          } else {
            inQuotes = false;
          }
        } else if (ch === '\\' && backslashEscapes && text[i + 1] === '"') {
          let end = i + 1;
          while (end < n && text[end] === '"') end++;
          if (!final && end >= n) break;
          const run = end - i - 1;
          // LF records: a CR after the run is inside the value.
          const closes = text[end] === undefined || text.charCodeAt(end) === delimiter || text[end] === '\n';
          // ITFlow's form: the first quote is the value's own; the rest are pairs (and the closing one).
          if (closes ? run % 2 === 0 : run % 2 === 1) {
            cell += '\\"';
            i++;
          } else {
            cell += '\\';
          }
        } else if (ch === '\n' || ch === '\r') {
          if (ch === '\n' || text[i + 1] !== '\n') line++;
          cell += ch;
        } else {
          // A run of ordinary characters is taken in one slice.
          let j = i + 1;
          while (j < limit && !QUOTED_SPECIAL.has(text.charCodeAt(j))) j++;
          cell += text.slice(i, j);
          i = j - 1;
        }
        checkCell();
      } else if (text.charCodeAt(i) === delimiter) {
        endCell();
      } else if (ch === '\r' || ch === '\n') {
        if (ch === '\r' && text[i + 1] === '\n') {
          if (startLine === 1) backslashEscapes = false;
          i++;
        }
        const record = endRecord();
        if (record) yield record;
        line++;
        startLine = line;
      } else if (ch === '"' && cell === '' && !quoted) {
        inQuotes = true;
        quoted = true;
      } else {
        let j = i + 1;
        while (j < limit && !plainSpecial.has(text.charCodeAt(j))) j++;
        cell += text.slice(i, j);
        i = j - 1;
        checkCell();
      }
    }
    return Math.min(i, n);
  }

  const tell = () => {
    if (dialect) Object.assign(dialect, { encoding: decoder.encoding, delimiter: delimiter === 0x09 ? '\t' : ',' });
  };

  const begin = (text: string): string => {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    delimiter = delimiterOf(text).charCodeAt(0);
    plainSpecial = new Set([delimiter, 0x0a, 0x0d]);
    first = false;
    return text;
  };

  // The line of the text that follows what is read so far and `before`.
  const lineAt = (before: string) => line + ((carry + before).match(/\n/g)?.length ?? 0);
  for await (const raw of chunks) {
    let text = carry + (typeof raw === 'string' ? raw : decoder.decode(raw, false, lineAt));
    if (first) {
      // The delimiter is chosen on the whole heading line (or its first 64 K characters).
      if (!/[\r\n]/.test(text) && text.length < 65_536) {
        carry = text;
        continue;
      }
      text = begin(text);
    }
    tell();
    const reached = yield* consume(text, false);
    carry = text.slice(reached);
    // Only a backslash before a long run of quotes leaves more than a character undecided.
    if (carry.length > MAX_LINE_CHARS) throw new CsvError(startLine, LINE_TOO_LONG);
  }
  carry += decoder.decode(Buffer.alloc(0), true, lineAt);
  if (first) carry = begin(carry);
  tell();
  yield* consume(carry, true);
  if (inQuotes) throw new CsvError(startLine, 'a quoted value is not closed before the end of the file');
  if (cell !== '' || cells.length || quoted) {
    const record = endRecord();
    if (record) yield record;
  }
}

/**
 * Removes the apostrophe that ITFlow's and Steward's exports put before a cell a spreadsheet would
 * run as a formula, so exports read back as they were.
 */
export function unguardCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}
