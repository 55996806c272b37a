// The records of an uploaded file, parsed once when it arrives and kept in `import_rows` until the
// import is committed or the upload expires: the mapping, the preview and the commit read them a page at
// a time (so memory does not grow with the file), on the connection of the pass that reads them.
import type { CsvRecord } from '../csv/csv-reader.ts';
import type { DbOrTrx } from '../database.ts';

/** Records written or read at a time, up to this many characters of cells (a line may be 1 MB). */
const PAGE_ROWS = 1_000;
const PAGE_CHARS = 4 * 1024 * 1024;

/** Collects records and writes them in batches; `seq` 0 is the heading row. */
export class ImportRowsWriter {
  private pending: Array<{ import_id: string; seq: number; line: number; cells: string; size: number }> = [];
  private chars = 0;
  count = 0;

  constructor(
    private readonly db: DbOrTrx,
    private readonly importId: string,
    /** After each batch is written. */
    private readonly onFlush: () => Promise<void> = async () => {},
  ) {}

  async add(record: CsvRecord): Promise<void> {
    const cells = JSON.stringify(record.cells);
    this.pending.push({ import_id: this.importId, seq: this.count++, line: record.line, cells, size: cells.length });
    this.chars += cells.length;
    if (this.pending.length >= PAGE_ROWS / 2 || this.chars >= PAGE_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.chars = 0;
    await this.db.insertInto('import_rows').values(rows).execute();
    await this.onFlush();
  }
}

const toRecord = (row: { line: number; cells: string }): CsvRecord => ({ line: row.line, cells: JSON.parse(row.cells) as string[] });

/** Every record of the upload, heading row first, a page at a time. */
export async function* readImportRows(db: DbOrTrx, importId: string): AsyncGenerator<CsvRecord> {
  for (let after = -1; ; ) {
    // The sizes first (they are read without the cells), to know how many rows make a page.
    const sizes = await db
      .selectFrom('import_rows')
      .select(['seq', 'size'])
      .where('import_id', '=', importId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(PAGE_ROWS)
      .execute();
    if (sizes.length === 0) return;
    let last = sizes[0]!.seq;
    for (let i = 1, chars = sizes[0]!.size; i < sizes.length && (chars += sizes[i]!.size) <= PAGE_CHARS; i++) last = sizes[i]!.seq;
    const page = await db
      .selectFrom('import_rows')
      .select(['line', 'cells'])
      .where('import_id', '=', importId)
      .where('seq', '>', after)
      .where('seq', '<=', last)
      .orderBy('seq')
      .execute();
    for (const row of page) yield toRecord(row);
    after = last;
  }
}

/** The heading row and the `count` records after it. */
export async function firstImportRows(db: DbOrTrx, importId: string, count: number): Promise<CsvRecord[]> {
  const rows = await db
    .selectFrom('import_rows')
    .select(['line', 'cells'])
    .where('import_id', '=', importId)
    .where('seq', '<=', count)
    .orderBy('seq')
    .execute();
  return rows.map(toRecord);
}

export async function removeImportRows(db: DbOrTrx, importId: string): Promise<void> {
  await db.deleteFrom('import_rows').where('import_id', '=', importId).execute();
}
