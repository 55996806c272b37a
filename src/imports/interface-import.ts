// Interface import for one asset, in ITFlow's 8 columns (Name, Description, Type, MAC, IP, NAT IP,
// IPv6, Network), with the same verdicts as the asset import: an interface of the same name (ignoring
// case) is updated, others are added; all-or-nothing unless the valid rows only are asked for. Files
// are one asset's interfaces, so each row goes through the interface rules one by one.
import { authorize, type Principal } from '../access/access.ts';
import { parseInterfaceFields, type InterfaceFieldsInput } from '../assets/asset.rules.ts';
import { requireAsset } from '../assets/asset.service.ts';
import { addInterface, getInterfaces, updateInterface } from '../assets/interface.service.ts';
import { INTERFACE_FIELDS, type AssetInterface, type InterfaceField } from '../assets/asset.ts';
import { unguardCell } from '../csv/csv-reader.ts';
import { clipText } from './clip.ts';
import { diffFields } from '../history/history.ts';
import { newCorrelationId, type Ctx } from '../platform/context.ts';
import { IssueList, ValidationError, type FieldIssue } from '../platform/errors.ts';
import { foldText } from '../platform/fields.ts';
import type { ImportReport, RowVerdict } from './asset-import.ts';
import type { HeadingMap } from './import-headings.ts';
import { ImportLookups } from './import-lookups.ts';
import { RejectedRowsFile, type RejectedRowsTarget } from './rejected-rows.ts';
import { openRecords, runImportPasses, startImportRecord, type ImportPhase, type ImportSource } from './import-record.ts';

type Column = Exclude<InterfaceField, 'networkId' | 'notes'> | 'network';
const COLUMNS: Record<Column, { heading: string; aliases: string[] }> = {
  name: { heading: 'Name', aliases: ['name', 'interface', 'interfacename'] },
  description: { heading: 'Description', aliases: ['description'] },
  type: { heading: 'Type', aliases: ['type'] },
  mac: { heading: 'MAC', aliases: ['mac', 'macaddress'] },
  ip: { heading: 'IP', aliases: ['ip', 'ipaddress'] },
  natIp: { heading: 'NAT IP', aliases: ['natip'] },
  ipv6: { heading: 'IPv6', aliases: ['ipv6'] },
  network: { heading: 'Network', aliases: ['network'] },
};
export const INTERFACE_HEADINGS = Object.values(COLUMNS).map((c) => c.heading);

export interface InterfaceImportOptions {
  dryRun?: boolean;
  validOnly?: boolean;
  importId?: string;
  file?: { name: string; size: number };
  onRow?: (verdict: RowVerdict, cells: string[]) => void;
  onHeadings?: (headings: HeadingMap) => void;
  onProgress?: (phase: ImportPhase, rows: number) => void;
  rejectedFile?: RejectedRowsTarget;
}

export async function importInterfaces(
  ctx: Ctx,
  principal: Principal,
  assetId: number,
  source: ImportSource,
  options: InterfaceImportOptions = {},
): Promise<ImportReport> {
  authorize(principal, 'support', 2);
  const asset = await requireAsset(ctx, assetId);
  authorize(principal, 'support', 2, { clientId: asset.clientId, entity: 'asset', id: assetId });
  const importId = options.importId ?? newCorrelationId();
  const { result, committed } = await runImportPasses(ctx, importId, { ...options, kind: 'interfaces' }, async (pctx, phase) => {
    const records = openRecords(source, pctx.db);
    const header = await records.next();
    if (header.done) throw new ValidationError([{ field: 'file', code: 'empty', message: 'the file is empty: it has no heading row' }]);
    const headingsRow = header.value.cells;
    const fold = (h: string) => foldText(h).replace(/[^a-z0-9]/g, '');
    const columns = headingsRow.map((h) => (Object.keys(COLUMNS) as Column[]).find((c) => COLUMNS[c].aliases.includes(fold(h))) ?? null);
    if (!columns.includes('name'))
      throw new ValidationError([
        { field: 'file', code: 'no_name', message: `no Name column among the headings: ${clipText(headingsRow.map((h) => clipText(h, 40)).join(', '), 400)}` },
      ]);
    const unknown = headingsRow.filter((h, i) => columns[i] === null && fold(h) !== '');
    const report: ImportReport = {
      importId,
      headings: { headings: headingsRow, columns: [], unknown, duplicates: [] },
      rows: [],
      counts: { create: 0, update: 0, unchanged: 0, rejected: 0 },
      committed: false,
      dryRun: !!options.dryRun,
    };
    if (phase === 'check') options.onHeadings?.(report.headings);
    const heading = (c: Column) => headingsRow[columns.indexOf(c)] ?? COLUMNS[c].heading;
    if (phase === 'write')
      await startImportRecord(pctx, principal, importId, {
        kind: 'interfaces',
        clientId: asset.clientId,
        assetId,
        file: options.file,
        options: { validOnly: !!options.validOnly },
      });
    const lookups = new ImportLookups(pctx, principal);
    const existing = new Map((await getInterfaces(pctx, assetId)).map((i) => [foldText(i.name), i]));
    const seen = new Map<string, number>();
    const rejected = phase === 'write' && options.rejectedFile ? new RejectedRowsFile(pctx.db, options.rejectedFile, headingsRow) : null;
    for await (const record of records) {
      const value = (c: Column) => {
        const i = columns.indexOf(c);
        const cell = i < 0 ? '' : unguardCell((record.cells[i] ?? '').trim());
        return cell === '' ? undefined : cell;
      };
      const name = value('name') ?? '';
      const verdict = await importRow(pctx, lookups, {
        line: record.line,
        name,
        value,
        heading,
        existing,
        seen,
        clientId: asset.clientId,
        assetId,
        write: phase === 'write',
      });
      report.counts[verdict.verdict]++;
      report.rows.push(verdict);
      if (phase === 'check') options.onRow?.(verdict, record.cells);
      else if (verdict.verdict === 'rejected') await rejected?.add(verdict, record.cells);
      options.onProgress?.(phase, report.rows.length);
    }
    await rejected?.finish();
    return report;
  });
  return { ...result, committed, dryRun: !!options.dryRun };
}

interface Row {
  line: number;
  name: string;
  value: (c: Column) => string | undefined;
  heading: (c: Column) => string;
  existing: Map<string, AssetInterface>;
  seen: Map<string, number>;
  clientId: number;
  assetId: number;
  /** False while checking: the verdict only, nothing written. */
  write: boolean;
}

async function importRow(ctx: Ctx, lookups: ImportLookups, row: Row): Promise<RowVerdict> {
  const { line, name, value, heading } = row;
  const problems: FieldIssue[] = [];
  const rejected = (): RowVerdict => ({ line, name, verdict: 'rejected', problems });
  const key = foldText(name);
  const earlier = row.seen.get(key);
  if (name && earlier !== undefined) problems.push({ field: heading('name'), code: 'duplicate_in_file', message: `the same name as line ${earlier}` });
  if (name) row.seen.set(key, line);
  const networkId = await lookups.record('networks', heading('network'), value('network'), row.clientId, problems);
  const input: InterfaceFieldsInput = { name: name || null };
  for (const c of ['description', 'type', 'mac', 'ip', 'natIp', 'ipv6'] as const) if (value(c) !== undefined) input[c] = value(c);
  if (networkId !== undefined) input.networkId = networkId;
  const current = row.existing.get(key);
  const issues = new IssueList();
  const fields = await parseInterfaceFields(ctx, input, row.clientId, current ? 'update' : 'create', issues, current);
  for (const issue of issues.issues) problems.push({ ...issue, field: issue.field === 'networkId' ? heading('network') : heading(issue.field as Column) });
  if (problems.length) return rejected();
  if (!current) {
    if (row.write) await addInterface(ctx, row.assetId, input);
    return { line, name, verdict: 'create', assetId: row.assetId };
  }
  const changes = diffFields(current, { ...current, ...fields, name: current.name }, INTERFACE_FIELDS).map((c) =>
    heading(c.field === 'networkId' ? 'network' : (c.field as Column)),
  );
  if (changes.length === 0) return { line, name, verdict: 'unchanged', assetId: row.assetId };
  const { name: _sameName, ...changed } = input;
  if (row.write) await updateInterface(ctx, current.id, changed);
  return { line, name, verdict: 'update', assetId: row.assetId, changes };
}
