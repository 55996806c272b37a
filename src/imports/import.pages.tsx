// The import flow in the web UI: upload → column mapping → preview (a verdict per row) → commit →
// summary, for assets (from a client's list or the all-clients list) and for one asset's interfaces.
// The file is parsed as it arrives and its records wait in the database between steps (any server may
// take the next one); the preview and the commit run the same import on them with the same saved
// options, the first as a dry run.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { authorize } from '../access/access.ts';
import { loadClientFor } from '../access/record-access.ts';
import type { WebSession } from '../auth/session.service.ts';
import { loadAssetFor } from '../assets/asset.service.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../platform/db/store.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { setFlash } from '../web/flash.ts';
import { formFields } from '../web/forms.tsx';
import { positiveInt } from '../web/params.ts';
import { sendPage } from '../web/render.ts';
import { loadShell } from '../web/shell.ts';
import { signedInRequest } from '../web/web.tsx';
import { refuseForm, uploadTokenMatches } from '../web/guards.ts';
import { MATCH_MODES, MISSING_MODES, REFERENCE_COLUMN_NAMES, type MatchMode, type MissingMode, type RowVerdict } from './asset-import.ts';
import { EXISTING_MODES, type ExistingMode } from './record-import.ts';
import { IMPORT_FIELDS, isImportField, mapHeadings, TEMPLATE_FIELDS, useColumns } from './import-headings.ts';
import {
  findImport,
  MAX_UPLOAD_BYTES,
  receiveUpload,
  rejectedFileId,
  releaseUpload,
  runUpload,
  sampleRows,
  saveOptions,
  UploadRefused,
  type UploadedImport,
} from './import-uploads.ts';
import { findStoredFile, readStoredFile } from '../platform/files/stored-files.ts';
import { createdText, MappingPage, PreviewPage, SummaryPage, UploadPage, type UploadTarget } from './import.views.tsx';
import { rejectedHeader, rejectedRow } from './rejected-rows.ts';
import { refuseControlCharacters, withoutControlCharacters } from '../platform/http/input-guard.ts';
import { plural } from '../web/plural.ts';

/** Rows the preview lists; the counts always cover the whole file. */
const PREVIEW_ROWS = 1_000;

export async function registerImportPages(app: FastifyInstance, store: Store): Promise<void> {
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1_000 } });

  const signedIn = (request: FastifyRequest) => signedInRequest(store, request);
  const notFound = () => {
    throw new NotFoundError('page', '');
  };

  /** Where an upload goes, checked against the user's rights: a visible client (or all), or a visible asset. */
  const targetOf = async (ctx: Ctx, session: WebSession, kind: string, rawClient: unknown, rawAsset: unknown): Promise<UploadTarget> => {
    if (kind === 'locations' || kind === 'contacts') {
      const client = await loadClientFor(ctx, 'client', 2, positiveInt(rawClient));
      return { kind, client: { id: client.id, name: client.name }, asset: null };
    }
    authorize(session.principal, 'support', 2);
    if (kind === 'interfaces') {
      const assetId = positiveInt(rawAsset);
      const asset = await loadAssetFor(ctx, session.principal, assetId, 2);
      return { kind: 'interfaces', client: null, asset: { id: asset.id, name: asset.name } };
    }
    if (rawClient === undefined || rawClient === '') return { kind: 'assets', client: null, asset: null };
    const client = await loadClientFor(ctx, 'support', 2, positiveInt(rawClient));
    return { kind: 'assets', client: { id: client.id, name: client.name }, asset: null };
  };

  const uploadPage = (kind: UploadTarget['kind']) => async (request: FastifyRequest, reply: FastifyReply) => {
    const s = signedIn(request);
    const params = request.params as { clientId?: string; id?: string };
    const target = await targetOf(s.ctx, s.session, kind, params.clientId, params.id);
    const shell = await loadShell(s.ctx, s.session, request, reply, target.client?.id ?? null);
    return sendPage(reply, <UploadPage shell={shell} target={target} maxBytes={MAX_UPLOAD_BYTES} />);
  };
  app.get('/assets/import', uploadPage('assets'));
  app.get('/clients/:clientId/assets/import', uploadPage('assets'));
  app.get('/assets/:id/interfaces/import', uploadPage('interfaces'));
  app.get('/clients/:clientId/locations/import', uploadPage('locations'));
  app.get('/clients/:clientId/contacts/import', uploadPage('contacts'));

  app.get('/assets/import/template.csv', async (request, reply) => {
    reply.header('content-disposition', 'attachment; filename="steward-asset-import-template.csv"');
    return reply.type('text/csv; charset=utf-8').send(stringify([TEMPLATE_FIELDS.map((f) => IMPORT_FIELDS[f].heading)], { record_delimiter: '\r\n' }));
  });

  app.post('/imports', { config: { csrfInUpload: true } }, async (request, reply) => {
    const s = signedIn(request);
    if (!request.isMultipart()) return reply.code(415).type('text/plain; charset=utf-8').send('Send the file from the import form (multipart/form-data).');
    const fields: Record<string, string> = {};
    const id = randomUUID();
    let target: UploadTarget | null = null;
    let received = false;
    let failure: string | null = null;
    const kindOf = (): UploadTarget['kind'] =>
      fields.kind === 'interfaces' || fields.kind === 'locations' || fields.kind === 'contacts' ? fields.kind : 'assets';
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        // Multipart fields pass no body hook: checked here as every other form's are.
        refuseControlCharacters(part.fieldname, part.fieldname);
        refuseControlCharacters(part.fieldname, String(part.value));
        fields[part.fieldname] = String(part.value);
        continue;
      }
      // Nothing is read into the database for a form without its token, or for a target out of reach.
      if (!uploadTokenMatches(request, fields)) {
        part.file.resume();
        refuseForm(reply);
        return reply;
      }
      const kind = kindOf();
      target = await targetOf(s.ctx, s.session, kind, fields.client, fields.asset).catch((error: unknown) => {
        part.file.resume();
        throw error;
      });
      try {
        await receiveUpload(
          s.ctx,
          s.session.principal,
          {
            id,
            kind,
            clientId: target.kind === 'interfaces' ? null : (target.client?.id ?? null),
            assetId: target.asset?.id ?? null,
            fileName: withoutControlCharacters(part.filename ?? '').trim() || 'import.csv',
          },
          part.file,
        );
        received = true;
      } catch (error) {
        part.file.resume();
        if (!(error instanceof UploadRefused)) throw error;
        failure = error.message;
      }
    }
    if (!uploadTokenMatches(request, fields)) {
      refuseForm(reply);
      return reply;
    }
    target ??= await targetOf(s.ctx, s.session, kindOf(), fields.client, fields.asset);
    if (!failure && !received) failure = 'Choose a CSV file to upload.';
    if (failure) {
      const shell = await loadShell(s.ctx, s.session, request, reply, target.client?.id ?? null);
      return sendPage(reply, <UploadPage shell={shell} target={target} maxBytes={MAX_UPLOAD_BYTES} error={failure} />, 422);
    }
    if (target.kind === 'locations' || target.kind === 'contacts') {
      const existing: ExistingMode = EXISTING_MODES.includes(fields.existing as ExistingMode) ? (fields.existing as ExistingMode) : 'skip';
      await saveOptions(s.ctx, id, { match: 'name', validOnly: false, columns: null, existing });
    }
    return reply.redirect(target.kind === 'assets' ? `/imports/${id}` : `/imports/${id}/preview`);
  });

  /** The upload at :id, if this user may see it; 404 otherwise. */
  const uploadFor = async (ctx: Ctx, session: WebSession, request: FastifyRequest): Promise<UploadedImport> => {
    const upload = await findImport(ctx, session.principal, (request.params as { id: string }).id);
    if (!upload) return notFound();
    return upload;
  };

  app.get('/imports/:id', async (request, reply) => {
    const s = signedIn(request);
    const upload = await uploadFor(s.ctx, s.session, request);
    const shell = await loadShell(s.ctx, s.session, request, reply, upload.clientId);
    if (upload.status === 'committed')
      return sendPage(
        reply,
        <SummaryPage shell={shell} upload={upload} hasRejectedFile={(await findStoredFile(s.ctx.db, rejectedFileId(upload.id))) !== null} />,
      );
    if (upload.kind !== 'assets') return reply.redirect(`/imports/${upload.id}/preview`);
    const { headings, rows } = await sampleRows(s.ctx, upload.id, 3);
    const map = upload.options.columns ? useColumns(headings, upload.options.columns) : mapHeadings(headings);
    return sendPage(reply, <MappingPage shell={shell} upload={upload} headings={headings} samples={rows} map={map} />);
  });

  app.post('/imports/:id/options', async (request, reply) => {
    const s = signedIn(request);
    const upload = await uploadFor(s.ctx, s.session, request);
    const form = formFields(request.body);
    const { headings } = await sampleRows(s.ctx, upload.id, 0);
    const columns = headings.map((_, i) => {
      const chosen = form[`column_${i}`] ?? '';
      return isImportField(chosen) ? chosen : null;
    });
    const match = MATCH_MODES.includes(form.match as MatchMode) ? (form.match as MatchMode) : 'name';
    // Per reference column; a form without the choice (an older page) keeps the default, create.
    const missing = Object.fromEntries(
      REFERENCE_COLUMN_NAMES.map((c) => [c, MISSING_MODES.includes(form[`missing_${c}`] as MissingMode) ? (form[`missing_${c}`] as MissingMode) : 'create']),
    );
    await saveOptions(s.ctx, upload.id, { match, validOnly: form.valid_only === '1', columns, missing });
    return reply.redirect(`/imports/${upload.id}/preview`);
  });

  app.get('/imports/:id/preview', async (request, reply) => {
    const s = signedIn(request);
    const upload = await uploadFor(s.ctx, s.session, request);
    if (upload.status === 'committed') return reply.redirect(`/imports/${upload.id}`);
    const rawShow = (request.query as { show?: string }).show;
    const show = rawShow === 'rejected' || rawShow === 'create' || rawShow === 'update' || rawShow === 'unchanged' ? rawShow : 'all';
    const rows: RowVerdict[] = [];
    let shown = 0;
    const shell = await loadShell(s.ctx, s.session, request, reply, upload.clientId);
    try {
      const report = await runUpload(s.ctx, s.session.principal, upload, {
        dryRun: true,
        keepRows: 0,
        onRow: (verdict) => {
          if (show !== 'all' && verdict.verdict !== show) return;
          shown++;
          if (rows.length < PREVIEW_ROWS) rows.push(verdict);
        },
      });
      return sendPage(reply, <PreviewPage shell={shell} upload={upload} report={report} rows={rows} show={show} shown={shown} />);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      setFlash(reply, { kind: 'danger', text: error.issues.map((i) => i.message).join('; ') });
      return reply.redirect(
        upload.kind === 'interfaces'
          ? `/assets/${upload.assetId}/interfaces/import`
          : upload.kind === 'assets'
            ? `/imports/${upload.id}`
            : `/clients/${upload.clientId}/${upload.kind}/import`,
      );
    }
  });

  app.post('/imports/:id/commit', async (request, reply) => {
    const s = signedIn(request);
    let upload = await uploadFor(s.ctx, s.session, request);
    if (upload.status === 'committed') return reply.redirect(`/imports/${upload.id}`);
    if (formFields(request.body).valid_only === '1' && !upload.options.validOnly) {
      upload = { ...upload, options: { ...upload.options, validOnly: true } };
      await saveOptions(s.ctx, upload.id, upload.options);
    }
    try {
      const report = await runUpload(s.ctx, s.session.principal, upload, { dryRun: false, keepRows: 0 });
      if (!report.committed) {
        setFlash(reply, {
          kind: 'danger',
          text: `Nothing was imported: ${plural(report.counts.rejected, 'row')} ${report.counts.rejected === 1 ? 'is' : 'are'} rejected now. Check the preview again.`,
        });
        return reply.redirect(`/imports/${upload.id}/preview`);
      }
      setFlash(reply, {
        kind: 'success',
        text: `Import finished: ${report.counts.create} created, ${report.counts.update} updated${createdText(report.created?.counts)}.`,
      });
    } catch (error) {
      // A second commit racing the first may find the records already released: it was imported.
      const imported =
        error instanceof ConflictError ||
        (error instanceof ValidationError && (await findImport(s.ctx, s.session.principal, upload.id))?.status === 'committed');
      if (!imported) throw error;
      setFlash(reply, { kind: 'info', text: 'This file was already imported.' });
      return reply.redirect(`/imports/${upload.id}`);
    }
    // The import is committed: the upload's records are no longer needed. Failing to remove them now
    // changes nothing for the user (the daily jobs remove them).
    await releaseUpload(store.db, upload.id).catch((error: unknown) => request.log.warn({ err: error }, 'could not remove an imported upload yet'));
    return reply.redirect(`/imports/${upload.id}`);
  });

  app.get('/imports/:id/rejected.csv', async (request, reply) => {
    const s = signedIn(request);
    const upload = await uploadFor(s.ctx, s.session, request);
    reply.header('content-disposition', `attachment; filename="${upload.fileName.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_')}-rejected.csv"`);
    reply.header('cache-control', 'no-store');
    reply.type('text/csv; charset=utf-8');
    if (upload.status === 'committed') {
      if (!(await findStoredFile(s.ctx.db, rejectedFileId(upload.id)))) return notFound();
      return reply.send(Readable.from(readStoredFile(s.ctx.db, rejectedFileId(upload.id))));
    }
    // Before the commit: the rejected rows of a preview, which a user fixes and uploads again.
    let text = '';
    let headings: string[] = [];
    await runUpload(s.ctx, s.session.principal, upload, {
      dryRun: true,
      keepRows: 0,
      onHeadings: (map) => {
        headings = map.headings;
        text = rejectedHeader(headings);
      },
      onRow: (verdict, cells) => {
        if (verdict.verdict === 'rejected') text += rejectedRow(verdict, cells, headings.length);
      },
    });
    return reply.send(text);
  });
}
