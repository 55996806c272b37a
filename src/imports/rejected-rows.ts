// The rows an import rejected, as a CSV the user can fix and import again: the file's own headings and
// cells, then the line it came from and the reason. Guarded against formulas like every export.
import { stringify } from 'csv-stringify/sync';
import { guardCell } from '../csv/asset-export.ts';
import type { RowVerdict } from './asset-import.ts';

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
