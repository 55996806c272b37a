// Reads the CSV files MSPs bring: RFC 4180 (quoted fields with commas, doubled quotes and line
// breaks; CRLF or LF; UTF-8 with or without a byte-order mark) and the files ITFlow writes. ITFlow
// uses PHP's fputcsv with a backslash escape, which leaves a quote after a backslash undoubled
// (`"C:\Program Files\""` holds `"C:\Program Files\"`); a strict RFC 4180 parser (csv-parse too)
// merges such a row with the next, so inside quotes this reader keeps `\"` as the two characters it
// is, unless the quote ends the field (`"C:\",` is `C:\`). Blank lines are skipped; records come one
// at a time, so any size reads in constant memory.

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

const ends = (c: string | undefined) => c === undefined || c === ',' || c === '\n' || c === '\r';

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

  const endRecord = (): CsvRecord | null => {
    cells.push(cell);
    const record = { line: startLine, cells };
    const blank = cells.length === 1 && cells[0] === '' && !quoted;
    cells = [];
    cell = '';
    quoted = false;
    return blank ? null : record;
  };

  /** Consumes text up to `stop`, looking up to two characters ahead (past `stop` if there are). */
  function* consume(text: string, stop: number): Generator<CsvRecord, number> {
    let i = 0;
    for (; i < stop; i++) {
      const ch = text[i]!;
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i++;
          } else {
            inQuotes = false;
          }
        } else if (ch === '\\' && text[i + 1] === '"' && !ends(text[i + 2])) {
          cell += '\\"';
          i++;
        } else {
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
          cell += ch;
        }
      } else if (ch === ',') {
        cells.push(cell);
        cell = '';
        quoted = false;
      } else if (ch === '\r' || ch === '\n') {
        if (ch === '\r' && text[i + 1] === '\n') i++;
        const record = endRecord();
        if (record) yield record;
        line++;
        startLine = line;
      } else if (ch === '"' && cell === '' && !quoted) {
        inQuotes = true;
        quoted = true;
      } else {
        cell += ch;
      }
    }
    // Where it stopped: a skipped second character may take it one past `stop`.
    return i;
  }

  for await (const raw of chunks) {
    let text = carry + (typeof raw === 'string' ? raw : raw.toString('utf8'));
    if (first && text.length) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    // Keep the last two characters back: a quote or backslash there is decided by what follows.
    const reached = yield* consume(text, Math.max(0, text.length - 2));
    carry = text.slice(reached);
  }
  yield* consume(carry, carry.length);
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
