// The rows an import rejected, as a CSV the user can fix and import again: the file's own headings and
// cells, then the line it came from and the reason. Guarded against formulas like every export.
import { stringify } from 'csv-stringify/sync';
import { guardCell } from '../csv/asset-export.ts';
import type { DbOrTrx } from '../database.ts';
import { StoredFileWriter } from '../platform/files/stored-files.ts';
import type { RejectedRowsTarget, RowVerdict } from './asset-import.types.ts';

const OPTIONS = { record_delimiter: '\r\n', quoted_match: /[\r\n]/ } as const;

export function rejectedHeader(headings: string[]): string {
  return stringify([[...headings, 'Line', 'Reason']], OPTIONS);
}

export function rejectedRow(verdict: RowVerdict, cells: string[], width: number): string {
  const padded = Array.from({ length: Math.max(width, cells.length) }, (_, i) => cells[i] ?? '');
  return stringify([[...padded, String(verdict.line), describeProblems(verdict)].map(guardCell)], OPTIONS);
}

export function describeProblems(verdict: RowVerdict): string {
  return (verdict.problems ?? []).map((p) => `${p.field}: ${p.message}`).join('; ');
}

/** Where an import keeps the rows it rejected, for the summary's download. */
export type { RejectedRowsTarget } from './asset-import.types.ts';

/**
 * The rejected rows written as a stored file by the import's own write pass, in its transaction: the file
 * exists exactly when the import committed, and a second commit of the same upload leaves it alone.
 */
export class RejectedRowsFile {
  private writer: StoredFileWriter | null = null;

  constructor(
    private readonly db: DbOrTrx,
    private readonly target: RejectedRowsTarget,
    private readonly headings: string[],
  ) {}

  async add(verdict: RowVerdict, cells: string[]): Promise<void> {
    if (!this.writer) {
      this.writer = new StoredFileWriter(this.db, this.target);
      await this.writer.write(rejectedHeader(this.headings));
    }
    await this.writer.write(rejectedRow(verdict, cells, this.headings.length));
  }

  async finish(): Promise<void> {
    await this.writer?.end();
  }
}
