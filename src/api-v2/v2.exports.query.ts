// What /api/v2/exports reads: the web's CSV exports (src/csv/asset-export.ts, the same columns and
// ITFlow's headings, streamed), within the clients and at the module level the call may use, with the
// filters of the v2 asset list (v2.asset-records.query.ts: every field with its lookups, and `q`, `mac`,
// `ip`, `cidr`, `tag`, `updated_since`), `archived` true or false.
import { authorize } from '../access/access.ts';
import { loadClientFor } from '../access/record-access.ts';
import { ALL_ASSETS, type AssetListFilters } from '../assets/asset-list.query.ts';
import { loadAssetFor } from '../assets/asset.service.ts';
import { exportAssetsCsv, exportColumns, exportInterfacesCsv } from '../csv/asset-export.ts';
import { ValidationError } from '../platform/errors.ts';
import type { V2Call } from './v2.call.ts';
import { ASSET_LIST_FIELDS, extraConditions } from './v2.asset-records.query.ts';
import { filterConditions } from './v2.list.ts';

export interface AssetExportQuery extends Record<string, unknown> {
  archived?: 'false' | 'true';
  columns?: string;
  bom?: boolean;
}

/**
 * The export of the assets the call may see that match the query: the file name to offer and the CSV
 * text, chunk by chunk. A client_id of a client the call may not see is "not found", as on the web.
 */
export async function assetExport(call: V2Call, query: AssetExportQuery): Promise<{ fileName: string; csv: AsyncGenerator<string> }> {
  const { ctx, principal } = call;
  authorize(principal, 'support', 1);
  let columns: string[];
  try {
    columns = exportColumns(query.columns);
  } catch (error) {
    throw new ValidationError([{ field: 'columns', code: 'invalid', message: (error as Error).message.replace(/^--columns: /, '') }]);
  }
  const clientId = typeof query.client_id === 'number' ? query.client_id : null;
  if (clientId !== null) await loadClientFor(ctx, 'support', 1, clientId);
  // The web export's own filters only scope it (clients, archived); the list's filters come as conditions.
  const filters: AssetListFilters = { ...ALL_ASSETS, clientId, archived: query.archived === 'true' };
  const { columns: _c, bom: _b, archived: _a, ...listQuery } = query;
  const where = [...filterConditions(ctx.dialect, ASSET_LIST_FIELDS, listQuery), ...(await extraConditions(call, listQuery))];
  const name = clientId ? `client-${clientId}-assets` : 'assets';
  return {
    fileName: `${name}-${new Date().toISOString().slice(0, 10)}.csv`,
    csv: exportAssetsCsv(ctx, principal, filters, { columns, bom: query.bom === true, where }),
  };
}

/** ITFlow's interface export of one asset the call may see. */
export async function interfaceExport(call: V2Call, assetId: number): Promise<{ fileName: string; csv: string }> {
  const asset = await loadAssetFor(call.ctx, call.principal, assetId, 1);
  const safeName = asset.name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'asset';
  return { fileName: `${safeName}-interfaces.csv`, csv: await exportInterfacesCsv(call.ctx, asset.id) };
}
