// `steward import assets|interfaces`: a progress line on a terminal, every rejected row explained, the
// rejected rows written to a CSV when asked (and always with --valid-only), and a summary at the end.
import { createReadStream, createWriteStream, statSync, type ReadStream, type WriteStream } from 'node:fs';
import { Progress } from '../platform/progress.ts';
import type { ImportReport, RowVerdict } from './asset-import.ts';
import type { HeadingMap } from './import-headings.ts';
import type { ImportPhase } from './import-record.ts';
import { describeProblems, rejectedHeader, rejectedRow } from './rejected-rows.ts';

export interface CliImportRun {
  file: string;
  /** Where rejected rows go; null to only list them. */
  rejectedFile: string | null;
  run: (
    source: () => NodeJS.ReadableStream,
    hooks: {
      onRow: (verdict: RowVerdict, cells: string[]) => void;
      onHeadings: (headings: HeadingMap) => void;
      onProgress: (phase: ImportPhase, rows: number) => void;
    },
  ) => Promise<ImportReport>;
}

const LISTED = 20;

/** Rejected rows a --json report lists (the count covers them all). */
const JSON_REJECTED = 1_000;

/** Runs the import, reporting to stderr; resolves to the report, its summary text and the first rejected rows. */
export async function runCliImport({ file, rejectedFile, run }: CliImportRun): Promise<{ report: ImportReport; text: string; rejected: RowVerdict[] }> {
  const size = statSync(file).size;
  let input: ReadStream | null = null;
  const open = () => (input = createReadStream(file));
  let rows = 0;
  let rejected = 0;
  let out: WriteStream | null = null;
  const listed: string[] = [];
  const rejectedRows: RowVerdict[] = [];
  let headings: string[] = [];
  const progress = new Progress({ label: 'checking', total: size, unit: 'rows' });
  let report: ImportReport;
  try {
    const onHeadings = (map: HeadingMap) => (headings = map.headings);
    const onProgress = (phase: ImportPhase, done: number) => {
      if (phase === 'write' && progress.label !== 'writing') progress.restart('writing');
      progress.update(input?.bytesRead ?? 0, done);
    };
    report = await run(open, {
      onHeadings,
      onProgress,
      onRow: (verdict, cells) => {
        rows++;
        if (verdict.verdict !== 'rejected') return;
        rejected++;
        if (rejectedRows.length < JSON_REJECTED) rejectedRows.push(verdict);
        if (listed.length < LISTED) listed.push(`  line ${verdict.line}${verdict.name ? ` (${verdict.name})` : ''}: ${describeProblems(verdict)}`);
        if (rejectedFile) {
          if (!out) {
            out = createWriteStream(rejectedFile);
            out.write(rejectedHeader(headings));
          }
          out.write(rejectedRow(verdict, cells, headings.length));
        }
      },
    });
  } finally {
    progress.done();
  }
  const written = out as WriteStream | null;
  if (written) await new Promise<void>((resolve, reject) => written.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const c = report.counts;
  const created = report.created?.counts;
  const createdKinds = created ? (Object.keys(created) as Array<keyof typeof created>).filter((k) => created[k] > 0) : [];
  const lines = [
    ...(report.headings.unknown.length ? [`ignored columns (unknown headings): ${report.headings.unknown.join(', ')}`] : []),
    ...(report.headings.duplicates.length ? [`ignored columns (field already given): ${report.headings.duplicates.join(', ')}`] : []),
    ...(rejected ? ['rejected rows:', ...listed, ...(rejected > LISTED ? [`  … and ${rejected - LISTED} more`] : [])] : []),
    `${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.rejected} rejected`,
    ...(createdKinds.length
      ? [
          `${report.committed ? 'created' : 'to create'} for the rows: ${createdKinds.map((k) => `${created![k]} ${k}`).join(', ')} (${createdKinds
            .map((k) => report.created!.names[k].join(', '))
            .join('; ')})`,
        ]
      : []),
    report.committed
      ? `imported (import ${report.importId})`
      : report.dryRun
        ? 'dry run: nothing was written'
        : 'nothing was imported: fix the rejected rows, or use --valid-only to import the others',
    ...(out && rejectedFile ? [`rejected rows written to ${rejectedFile}`] : []),
  ];
  return { report, text: lines.join('\n'), rejected: rejectedRows };
}
