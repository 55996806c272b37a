// The import screens: upload, column mapping, preview with a verdict per row, and the summary.
import {
  DEFAULT_MISSING,
  REFERENCE_COLUMN_NAMES,
  type CreatedCounts,
  type ImportReport,
  type MatchMode,
  type MissingMode,
  type RowVerdict,
} from './asset-import.ts';
import { recordHeadings } from './record-import.ts';
import { IMPORT_FIELDS, type HeadingMap, type ImportField } from './import-headings.ts';
import type { UploadedImport } from './import-uploads.ts';
import { clipText } from './clip.ts';
import { CsrfField } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import { plural } from '../web/plural.ts';

const VERDICT_LABEL: Record<RowVerdict['verdict'], { label: string; badge: string }> = {
  create: { label: 'Create', badge: 'text-bg-success' },
  update: { label: 'Update', badge: 'text-bg-primary' },
  unchanged: { label: 'Unchanged', badge: 'text-bg-secondary' },
  rejected: { label: 'Rejected', badge: 'text-bg-danger' },
};
const MISSING_LABEL: Record<MissingMode, string> = {
  create: 'Create the missing ones',
  empty: 'Leave empty, with a warning',
  reject: 'Reject the row',
};
const CREATED_NOUN: Record<keyof CreatedCounts, [string, string]> = {
  locations: ['location', 'locations'],
  contacts: ['contact', 'contacts'],
  vendors: ['vendor', 'vendors'],
};

/** ", 2 locations and 3 contacts created" for a flash message; empty when nothing was. */
export function createdText(counts: CreatedCounts | undefined): string {
  const parts = (Object.keys(CREATED_NOUN) as Array<keyof CreatedCounts>).filter((k) => counts?.[k]).map((k) => plural(counts![k], ...CREATED_NOUN[k]));
  return parts.length ? `; also created ${parts.join(', ')}` : '';
}

const MATCH_LABEL: Record<MatchMode, string> = {
  name: 'By name within the client: an asset of the same name is updated (ITFlow skips it)',
  serial: 'By serial number: an asset with the same serial is updated',
  none: 'Never: every row creates a new asset',
};

export interface UploadTarget {
  kind: 'assets' | 'interfaces' | 'locations' | 'contacts';
  client: { id: number; name: string } | null;
  asset: { id: number; name: string } | null;
}

const MB = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;

/** Headings as the pages list them: each clipped, and only so many. */
const headingList = (headings: string[]) => clipText(headings.map((h) => clipText(h, 60)).join(', '), 600);

function ReadAs({ upload }: { upload: UploadedImport }) {
  return upload.encoding ? (
    <p class="small text-body-secondary" data-encoding={upload.encoding}>
      Read as {upload.encoding}.
    </p>
  ) : null;
}

export function UploadPage({ shell, target, error, maxBytes }: { shell: Shell; target: UploadTarget; error?: string | undefined; maxBytes: number }) {
  const what =
    target.kind === 'interfaces'
      ? `interfaces of ${target.asset!.name}`
      : target.kind !== 'assets'
        ? `${target.kind} into ${target.client!.name}`
        : target.client
          ? `assets into ${target.client.name}`
          : 'assets into several clients';
  const records = target.kind === 'locations' || target.kind === 'contacts' ? target.kind : null;
  return (
    <AppPage title="Import from CSV" shell={shell}>
      <h1 class="h4">Import {what}</h1>
      {target.kind === 'assets' ? (
        <div class="text-body-secondary mb-3">
          <p class="mb-1">
            Any CSV with a heading row: ITFlow's import template or export, Steward's own export, or your own spreadsheet. Columns are matched by their heading,
            in any order; you can correct the matching on the next screen, and you see a verdict for every row before anything is saved.
          </p>
          {target.client ? null : (
            <p class="mb-1">
              From the all-clients view, the file needs a <strong>Client</strong> column naming each row's client.
            </p>
          )}
          <p class="mb-0">
            <a href="/assets/import/template.csv" download>
              Download the template
            </a>{' '}
            with every heading Steward reads.
          </p>
        </div>
      ) : records ? (
        <p class="text-body-secondary">
          ITFlow's {records} export, or any CSV with these headings in any order: {recordHeadings(records).join(', ')}. A row whose name this client already has
          among its {records} is skipped or updated, as you choose; the others are added. You see a verdict for every row before anything is saved.
        </p>
      ) : (
        <p class="text-body-secondary">
          ITFlow's 8 interface columns: Name, Description, Type, MAC, IP, NAT IP, IPv6, Network. An interface with the same name is updated; others are added.
        </p>
      )}
      {error ? (
        <div class="alert alert-danger py-2" role="alert">
          {error}
        </div>
      ) : null}
      <form method="post" action="/imports" enctype="multipart/form-data" class="card card-body import-upload">
        {/* The token comes before the file: the server reads fields in order and refuses the file without it. */}
        <CsrfField token={shell.session.csrfToken} />
        <input type="hidden" name="kind" value={target.kind} />
        <input type="hidden" name="client" value={target.client ? String(target.client.id) : ''} />
        <input type="hidden" name="asset" value={target.asset ? String(target.asset.id) : ''} />
        {records ? (
          <fieldset class="mb-3">
            <legend class="h6">{records === 'locations' ? 'Locations' : 'Contacts'} this client already has (same name)</legend>
            {(
              [
                ['skip', 'Skip them: keep what Steward has'],
                ['update', "Update them with the file's non-empty values"],
              ] as const
            ).map(([value, label]) => (
              <div class="form-check">
                <input class="form-check-input" type="radio" name="existing" id={`existing-${value}`} value={value} checked={value === 'skip'} />
                <label class="form-check-label" for={`existing-${value}`}>
                  {label}
                </label>
              </div>
            ))}
          </fieldset>
        ) : null}
        <label class="form-label" for="import-file">
          CSV file (up to {MB(maxBytes)})
        </label>
        <input id="import-file" class="form-control mb-3" type="file" name="file" accept=".csv,text/csv" required />
        <div>
          <button class="btn btn-primary" type="submit">
            Upload and continue
          </button>
        </div>
      </form>
    </AppPage>
  );
}

export function MappingPage({
  shell,
  upload,
  headings,
  samples,
  map,
}: {
  shell: Shell;
  upload: UploadedImport;
  headings: string[];
  samples: string[][];
  map: HeadingMap;
}) {
  const fields = Object.entries(IMPORT_FIELDS) as Array<[ImportField, { heading: string }]>;
  return (
    <AppPage title="Import: columns" shell={shell}>
      <h1 class="h4">Columns of {upload.fileName}</h1>
      <p class="text-body-secondary">
        Each column of the file and the asset field it fills. Headings Steward does not know are left out unless you choose a field for them.
      </p>
      <ReadAs upload={upload} />
      {map.unknown.length ? <div class="alert alert-warning py-2">Not recognised, so not imported: {headingList(map.unknown)}.</div> : null}
      {map.duplicates.length ? (
        <div class="alert alert-warning py-2">A field already filled by an earlier column, so not imported: {headingList(map.duplicates)}.</div>
      ) : null}
      <form method="post" action={`/imports/${upload.id}/options`}>
        <CsrfField token={shell.session.csrfToken} />
        <div class="table-responsive">
          <table class="table table-sm align-middle">
            <thead>
              <tr>
                <th scope="col">Column in the file</th>
                <th scope="col">Imported as</th>
                <th scope="col">First values</th>
              </tr>
            </thead>
            <tbody>
              {headings.map((h, i) => (
                <tr>
                  <th scope="row">
                    <label for={`column-${i}`}>{clipText(h, 100) || <em>(no heading)</em>}</label>
                  </th>
                  <td>
                    <select id={`column-${i}`} name={`column_${i}`} class="form-select form-select-sm">
                      <option value="">(not imported)</option>
                      {fields.map(([f, def]) => (
                        <option value={f} selected={map.columns[i] === f}>
                          {def.heading}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td class="small text-body-secondary text-truncate import-sample">
                    {samples
                      .map((r) => clipText(r[i] ?? ''))
                      .filter(Boolean)
                      .slice(0, 3)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <fieldset class="mb-3">
          <legend class="h6">Existing assets</legend>
          {(Object.keys(MATCH_LABEL) as MatchMode[]).map((m) => (
            <div class="form-check">
              <input class="form-check-input" type="radio" name="match" id={`match-${m}`} value={m} checked={upload.options.match === m} />
              <label class="form-check-label" for={`match-${m}`}>
                {MATCH_LABEL[m]}
              </label>
            </div>
          ))}
        </fieldset>
        <fieldset class="mb-3 import-missing">
          <legend class="h6">Names this client does not have yet</legend>
          <p class="small text-body-secondary mb-2">
            When a row names a location, contact or vendor this client has none of (matched ignoring case and accents), Steward can create it once for all the
            rows naming it, leave the row's reference empty, or reject the row.
          </p>
          {REFERENCE_COLUMN_NAMES.map((c) => {
            const chosen = upload.options.missing?.[c] ?? DEFAULT_MISSING[c];
            return (
              <div class="row g-2 align-items-center mb-1">
                <label class="col-sm-3 col-form-label col-form-label-sm" for={`missing-${c}`}>
                  <span class="visually-hidden">Missing: </span>
                  {IMPORT_FIELDS[c].heading}
                  {c === 'contact' ? ' (contact)' : ''}
                </label>
                <div class="col-sm-5">
                  <select id={`missing-${c}`} name={`missing_${c}`} class="form-select form-select-sm">
                    {(Object.keys(MISSING_LABEL) as MissingMode[]).map((m) => (
                      <option value={m} selected={chosen === m}>
                        {MISSING_LABEL[m]}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            );
          })}
        </fieldset>
        <ValidOnly checked={upload.options.validOnly} />
        <button class="btn btn-primary" type="submit">
          Preview
        </button>{' '}
        <a class="btn btn-link" href={upload.clientId ? `/clients/${upload.clientId}/assets` : '/assets'}>
          Cancel
        </a>
      </form>
    </AppPage>
  );
}

function ValidOnly({ checked }: { checked: boolean }) {
  return (
    <div class="form-check mb-3">
      <input class="form-check-input" type="checkbox" name="valid_only" id="valid-only" value="1" checked={checked} />
      <label class="form-check-label" for="valid-only">
        Import the valid rows even if some are rejected (the rejected ones can be downloaded as a CSV with the reason)
      </label>
    </div>
  );
}

function Counts({ counts }: { counts: Record<RowVerdict['verdict'], number> }) {
  return (
    <ul class="list-inline mb-3" aria-label="Verdicts">
      {(Object.keys(VERDICT_LABEL) as Array<RowVerdict['verdict']>).map((v) => (
        <li class="list-inline-item">
          <span class={`badge ${VERDICT_LABEL[v].badge}`}>{VERDICT_LABEL[v].label}</span> <strong data-count={v}>{counts[v].toLocaleString('en-US')}</strong>
        </li>
      ))}
    </ul>
  );
}

/** What a row's verdict says; a problem can quote a value from the file, so each is clipped. */
function details(row: RowVerdict): string {
  if (row.problems?.length) return row.problems.map((p) => clipText(`${clipText(p.field, 60)}: ${p.message}`)).join('; ');
  const notes = [...(row.creates ?? []), ...(row.warnings ?? [])].join('; ');
  if (row.changes?.length) return clipText([`Changes: ${headingList(row.changes)}`, notes].filter(Boolean).join('; '), 800);
  return clipText(notes, 800);
}

export function PreviewPage({
  shell,
  upload,
  report,
  rows,
  show,
  shown,
}: {
  shell: Shell;
  upload: UploadedImport;
  report: ImportReport;
  rows: RowVerdict[];
  show: RowVerdict['verdict'] | 'all';
  shown: number;
}) {
  const c = report.counts;
  const total = c.create + c.update + c.unchanged + c.rejected;
  const blocked = c.rejected > 0 && !upload.options.validOnly;
  const writes = c.create + c.update;
  const filters: Array<RowVerdict['verdict'] | 'all'> = ['all', 'rejected', 'create', 'update', 'unchanged'];
  return (
    <AppPage title="Import: preview" shell={shell}>
      <h1 class="h4">Preview of {upload.fileName}</h1>
      <p class="text-body-secondary">{plural(total, 'row')} checked; nothing has been saved yet.</p>
      <ReadAs upload={upload} />
      <Counts counts={c} />
      {report.headings.unknown.length ? <div class="alert alert-warning py-2">Columns not imported: {headingList(report.headings.unknown)}.</div> : null}
      <WillCreate created={report.created} />
      {blocked ? (
        <div class="alert alert-danger py-2" role="alert">
          {writes === 0
            ? `Every row is rejected. Fix the file and upload it again.`
            : `${plural(c.rejected, 'row')} ${c.rejected === 1 ? 'is' : 'are'} rejected. Fix them in the file and upload it again, or import only the valid rows.`}
        </div>
      ) : null}
      <form method="post" action={`/imports/${upload.id}/commit`} class="d-flex flex-wrap gap-2 align-items-center mb-3">
        <CsrfField token={shell.session.csrfToken} />
        {blocked ? (
          writes > 0 ? (
            <>
              <input type="hidden" name="valid_only" value="1" />
              <button class="btn btn-warning" type="submit">
                Import the {plural(writes, 'valid row')} only
              </button>
            </>
          ) : null
        ) : (
          <button class="btn btn-primary" type="submit" disabled={writes === 0}>
            Import {plural(writes, 'row')}
          </button>
        )}
        {upload.kind === 'assets' ? (
          <a class="btn btn-outline-secondary" href={`/imports/${upload.id}`}>
            Change columns or matching
          </a>
        ) : upload.kind !== 'interfaces' ? (
          <a class="btn btn-outline-secondary" href={`/clients/${upload.clientId}/${upload.kind}/import`}>
            Upload another file
          </a>
        ) : null}
        {c.rejected ? (
          <a class="btn btn-outline-secondary" href={`/imports/${upload.id}/rejected.csv`} download>
            Download rejected rows
          </a>
        ) : null}
      </form>
      <nav aria-label="Show rows" class="mb-2">
        <ul class="nav nav-pills nav-sm">
          {filters.map((f) => (
            <li class="nav-item">
              <a
                class={`nav-link py-1${f === show ? ' active' : ''}`}
                aria-current={f === show ? 'page' : undefined}
                href={`/imports/${upload.id}/preview${f === 'all' ? '' : `?show=${f}`}`}
              >
                {f === 'all' ? 'All' : VERDICT_LABEL[f].label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="table-responsive">
        <table class="table table-sm align-middle" id="verdicts">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Name</th>
              <th scope="col">Verdict</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-verdict={r.verdict}>
                <td>{r.line}</td>
                <td>{r.assetId && upload.kind === 'assets' ? <a href={`/assets/${r.assetId}`}>{clipText(r.name)}</a> : clipText(r.name)}</td>
                <td>
                  <span class={`badge ${VERDICT_LABEL[r.verdict].badge}`}>{VERDICT_LABEL[r.verdict].label}</span>
                </td>
                <td class="small">{details(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown > rows.length ? (
        <p class="small text-body-secondary">
          Showing the first {rows.length.toLocaleString('en-US')} of {shown.toLocaleString('en-US')}.
        </p>
      ) : null}
    </AppPage>
  );
}

export function SummaryPage({ shell, upload, hasRejectedFile }: { shell: Shell; upload: UploadedImport; hasRejectedFile: boolean }) {
  const c = upload.summary ?? { create: 0, update: 0, unchanged: 0, rejected: 0 };
  const back =
    upload.kind === 'interfaces'
      ? `/assets/${upload.assetId}`
      : upload.kind !== 'assets'
        ? `/clients/${upload.clientId}/${upload.kind}`
        : upload.clientId
          ? `/clients/${upload.clientId}/assets`
          : '/assets';
  const created = createdText(upload.summary?.created);
  return (
    <AppPage title="Import: done" shell={shell}>
      <h1 class="h4">Imported {upload.fileName}</h1>
      <p>
        {c.create} created, {c.update} updated, {c.unchanged} unchanged{c.rejected ? `, ${c.rejected} rejected and not imported` : ''}
        {created}.{' '}
        {upload.kind === 'assets' || upload.kind === 'interfaces' ? (
          <>
            Every {upload.kind === 'interfaces' ? 'change' : 'asset written'} carries this import's id, <code>{upload.id}</code>, in its history.
          </>
        ) : null}
      </p>
      <Counts counts={c} />
      <p class="d-flex gap-2">
        <a class="btn btn-primary" href={back}>
          {upload.kind === 'interfaces' ? 'Back to the asset' : `See the ${upload.kind}`}
        </a>
        {hasRejectedFile ? (
          <a class="btn btn-outline-secondary" href={`/imports/${upload.id}/rejected.csv`} download>
            Download the rejected rows
          </a>
        ) : null}
      </p>
    </AppPage>
  );
}

/** What the import creates besides its rows: the locations, contacts and vendors the file names that the client lacks. */
function WillCreate({ created }: { created: ImportReport['created'] }) {
  const kinds = (Object.keys(CREATED_NOUN) as Array<keyof CreatedCounts>).filter((k) => created?.counts[k]);
  if (!created || kinds.length === 0) return null;
  return (
    <div class="alert alert-info py-2" id="will-create">
      <p class="mb-1">Besides the rows, the import will create what they name that this client does not have yet:</p>
      <ul class="mb-0">
        {kinds.map((k) => (
          <li data-creates={k}>
            {plural(created.counts[k], ...CREATED_NOUN[k])}: {created.names[k].map((n) => clipText(`'${clipText(n, 80)}'`, 90)).join(', ')}
            {created.counts[k] > created.names[k].length ? ', …' : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
