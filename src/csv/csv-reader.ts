// Reads the CSV files MSPs bring: RFC 4180 (quoted fields with commas, doubled quotes and line
// breaks; CRLF or LF; UTF-8 with or without a byte-order mark) and the files ITFlow writes. ITFlow
// uses PHP's fputcsv with a backslash escape, which leaves a quote after a backslash undoubled
// (`"C:\Program Files\""` holds `"C:\Program Files\"`); a strict RFC 4180 parser (csv-parse too)
// merges such a row with the next. Which writer made a file shows at the end of its first line:
// ITFlow ends records with LF, while Excel, Steward and other RFC 4180 writers end them with CRLF, and in
// their files a backslash is an ordinary character. In an LF file, a backslash followed by a run of
// quotes is read the way that fits: a run RFC 4180 cannot produce (odd mid-value, even before the end of
// the value) is ITFlow's, and where both fit, the run closes the value, as ITFlow's rows do. Blank lines
// are skipped; records come one at a time, so any size reads in constant memory.

/** Characters that end a run of ordinary ones: inside quotes, and outside. */
const QUOTED_SPECIAL = new Set([0x22, 0x5c, 0x0a, 0x0d]);
const PLAIN_SPECIAL = new Set([0x2c, 0x0a, 0x0d]);

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  cells: string[];
}

export class CsvError extends Error {
  constructor(readonly line: number, problem: string) {
    super(`line ${line}: ${problem}`);
  }
}


/** Records from text arriving in chunks (a file stream, an upload, or one string). */
export async function* readCsv(chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): AsyncGenerator<CsvRecord> {
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let inQuotes = false;
  let line = 1;
  let startLine = 1;
  let carry = '';
  let first = true;
  // Until the first record ends with CRLF, a backslash before a quote may be ITFlow's escape.
  let backslashEscapes = true;
  // A multi-byte character can be split between two chunks of a file. Excel's plain "CSV" on Windows
  // is Windows-1252, not UTF-8: a first chunk that is not valid UTF-8 is read as that instead.
  let decoder = new TextDecoder('utf-8');
  const decode = (raw: Buffer): string => {
    if (first) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(raw, { stream: true });
      } catch {
        decoder = new TextDecoder('windows-1252');
      }
    }
    return decoder.decode(raw, { stream: true });
  };

  const endRecord = (): CsvRecord | null => {
    cells.push(cell);
    const record = { line: startLine, cells };
    const blank = cells.length === 1 && cells[0] === '' && !quoted;
    cells = [];
    cell = '';
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
          const closes = text[end] === undefined || text[end] === ',' || text[end] === '\n';
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
      } else if (ch === ',') {
        cells.push(cell);
        cell = '';
        quoted = false;
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
        while (j < limit && !PLAIN_SPECIAL.has(text.charCodeAt(j))) j++;
        cell += text.slice(i, j);
        i = j - 1;
      }
    }
    return Math.min(i, n);
  }

  for await (const raw of chunks) {
    let text = carry + (typeof raw === 'string' ? raw : decode(raw));
    if (first && text.length) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const reached = yield* consume(text, false);
    carry = text.slice(reached);
  }
  carry += decoder.decode();
  if (first && carry.charCodeAt(0) === 0xfeff) carry = carry.slice(1);
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
