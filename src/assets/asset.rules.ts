// Validation and normalisation of asset and interface input: one set of rules behind the web UI,
// both APIs, imports and the CLI. Each problem is reported on the field it concerns.
import { canonicalListValue, type UnlistedValues } from '../lists/list.service.ts';
import type { Ctx } from '../platform/context.ts';
import { IssueList, type FieldIssue } from '../platform/errors.ts';
import { requireActiveClient, sameClientRef } from '../platform/record-rules.ts';
import {
  foldText,
  optionalBool,
  optionalDate,
  optionalIp,
  optionalIpv4OrDhcp,
  optionalIpv6,
  optionalMac,
  optionalText,
  requiredText,
  type Raw,
} from '../platform/fields.ts';
import { ASSET_FIELDS, fieldsOfKind } from './asset-fields.ts';
import type { AssetFields, EditableField, InterfaceField, InterfaceFields } from './asset.ts';

/** Raw input for asset fields: any subset, values as they arrived. */
export type AssetFieldsInput = Partial<Record<EditableField, Raw>> & {
  /** A type or status outside the admin lists: refused (default) or kept as given, as ITFlow's API does. */
  unlistedValues?: UnlistedValues;
  /**
   * Dates out of order (a warranty ending, or an install, before the purchase): refused on the field
   * (default), or kept as given, as ITFlow's API does, with a warning the caller records in the history;
   * or `deferred`, left for the caller to check with dateOrderIssues once it knows whether the input
   * creates an asset or updates a stored one (an import row).
   */
  dateOrder?: 'refuse' | 'warn' | 'deferred';
};
export type InterfaceFieldsInput = Partial<Record<InterfaceField, Raw>>;

/** Free-text fields other than the name, each up to its column's length (ITFlow's schema). */
const TEXT_FIELDS = fieldsOfKind('text').filter((f) => f !== 'name');
/** A type or status is at most this long, whether listed or not. */
const LIST_VALUE_MAX = 200;

/**
 * Parses the given fields (absent fields stay absent), adding every problem to `issues`; the caller
 * throws them once all input is checked. `current` is the stored asset on update:
 * its values of admin lists remain acceptable even if since archived.
 */
export async function parseAssetFields(
  ctx: Ctx,
  input: AssetFieldsInput,
  clientId: number,
  mode: 'create' | 'update',
  issues: IssueList,
  current?: AssetFields,
): Promise<Partial<AssetFields>> {
  const out = parseAssetScalars(input, mode, issues, current);
  const given = (f: EditableField) => Object.hasOwn(input, f) && input[f] !== undefined;
  if (given('type')) {
    const text = optionalText(issues, 'type', input.type, LIST_VALUE_MAX);
    out.type = await canonicalListValue(ctx, issues, 'type', 'asset_type', text, current?.type ?? null, input.unlistedValues);
  }
  if (given('status')) {
    const text = optionalText(issues, 'status', input.status, LIST_VALUE_MAX);
    out.status = await canonicalListValue(ctx, issues, 'status', 'asset_status', text, current?.status ?? null, input.unlistedValues);
  }
  for (const field of fieldsOfKind('reference')) {
    if (!given(field)) continue;
    const { ref } = ASSET_FIELDS[field];
    out[field] = await sameClientRef(ctx, issues, field, input[field], ref.table, ref.noun, clientId);
  }
  return out;
}

/**
 * The fields that need no lookup: name, free text, dates and the star. Imports check rows with it in bulk.
 * `current` is the stored asset on update: a date given alone is compared with the stored other one.
 */
export function parseAssetScalars(input: AssetFieldsInput, mode: 'create' | 'update', issues: IssueList, current?: AssetFields): Partial<AssetFields> {
  const out: Partial<AssetFields> = {};
  const given = (f: EditableField) => Object.hasOwn(input, f) && input[f] !== undefined;
  if (mode === 'create' || given('name')) out.name = requiredText(issues, 'name', input.name, 200);
  for (const field of TEXT_FIELDS) if (given(field)) out[field] = optionalText(issues, field, input[field], ASSET_FIELDS[field].max);
  for (const field of fieldsOfKind('date')) if (given(field)) out[field] = optionalDate(issues, field, input[field]);
  for (const field of fieldsOfKind('flag')) if (given(field)) out[field] = optionalBool(issues, field, input[field]) ?? false;
  if ((input.dateOrder ?? 'refuse') === 'refuse') for (const issue of dateOrderIssues(out, current)) issues.add(issue.field, issue.code, issue.message);
  return out;
}

/** Pairs of dates that must not be out of order: the earlier one, the later one, and how each side words it. */
const DATE_ORDER = [
  {
    earlier: 'purchaseDate',
    later: 'warrantyExpire',
    laterSays: 'Warranty ends before the purchase date',
    earlierSays: 'Purchase date is after the warranty end',
  },
  {
    earlier: 'purchaseDate',
    later: 'installDate',
    laterSays: 'Install date is before the purchase date',
    earlierSays: 'Purchase date is after the install date',
  },
] as const;

/**
 * Dates being written (`written`) that are out of order with each other or with the stored asset's
 * (`current`), each on the field written: the later date if it changes, else the earlier one. Pairs of
 * which neither date changes are not looked at, so a stored asset that already breaks the rule does
 * not stop an edit of something else (a form or a file sends the stored dates back as they were).
 * Empty dates are never out of order.
 */
export function dateOrderIssues(written: Partial<AssetFields>, current?: Partial<AssetFields>): FieldIssue[] {
  const changes = (f: 'purchaseDate' | 'warrantyExpire' | 'installDate') =>
    written[f] !== undefined && (current === undefined || written[f] !== (current[f] ?? null));
  const out: FieldIssue[] = [];
  for (const pair of DATE_ORDER) {
    const earlierGiven = changes(pair.earlier);
    const laterGiven = changes(pair.later);
    if (!earlierGiven && !laterGiven) continue;
    const earlier = written[pair.earlier] !== undefined ? written[pair.earlier] : current?.[pair.earlier];
    const later = written[pair.later] !== undefined ? written[pair.later] : current?.[pair.later];
    if (!earlier || !later || later >= earlier) continue;
    out.push(
      laterGiven
        ? { field: pair.later, code: 'date_order', message: `${pair.laterSays} (${earlier})` }
        : { field: pair.earlier, code: 'date_order', message: `${pair.earlierSays} (${later})` },
    );
  }
  return out;
}

export async function parseInterfaceFields(
  ctx: Ctx,
  input: InterfaceFieldsInput,
  clientId: number,
  mode: 'create' | 'update',
  issues: IssueList,
  current?: InterfaceFields,
  prefix = '',
): Promise<Partial<InterfaceFields>> {
  const out: Partial<InterfaceFields> = {};
  const given = (f: InterfaceField) => Object.hasOwn(input, f) && input[f] !== undefined;
  const name = (f: string) => prefix + f;

  if (mode === 'create' || given('name')) out.name = requiredText(issues, name('name'), input.name, 200);
  if (given('description')) out.description = optionalText(issues, name('description'), input.description, 200);
  if (given('notes')) out.notes = optionalText(issues, name('notes'), input.notes, 65_535);
  if (given('mac')) out.mac = optionalMac(issues, name('mac'), input.mac);
  if (given('ip')) out.ip = optionalIpv4OrDhcp(issues, name('ip'), input.ip);
  if (given('natIp')) out.natIp = optionalIp(issues, name('natIp'), input.natIp);
  if (given('ipv6')) out.ipv6 = optionalIpv6(issues, name('ipv6'), input.ipv6);
  if (given('type')) {
    const text = optionalText(issues, name('type'), input.type, 50);
    out.type = await canonicalListValue(ctx, issues, name('type'), 'interface_type', text, current?.type ?? null);
  }
  if (given('networkId')) {
    out.networkId = await sameClientRef(ctx, issues, name('networkId'), input.networkId, 'networks', 'network', clientId);
  }
  return out;
}

/**
 * The rules above for many rows at once (an import): the same functions, with each distinct client and
 * list value checked once and the answer reused for every row that repeats it. Make one per pass over
 * the rows, so that a later pass sees the lists and clients as they are then.
 */
export class AssetRulesForRows {
  private readonly clients = new Map<number, FieldIssue[]>();
  private readonly listed = new Map<string, { value: string | null; issues: FieldIssue[] }>();

  constructor(private readonly ctx: Ctx) {}

  /** createAsset's check of the client (it exists and is not archived); false after adding the issue. */
  async activeClient(issues: IssueList, field: string, clientId: number): Promise<boolean> {
    let found = this.clients.get(clientId);
    if (!found) {
      const own = new IssueList();
      await requireActiveClient(this.ctx, own, clientId, field);
      found = own.issues;
      this.clients.set(clientId, found);
    }
    for (const issue of found) issues.add(field, issue.code, issue.message);
    return found.length === 0;
  }

  /** parseAssetFields' check of a type or status; `current` is the stored asset's value on update. */
  async listValue(issues: IssueList, field: 'type' | 'status', raw: Raw, current: string | null = null): Promise<string | null> {
    const text = optionalText(issues, field, raw, 200);
    const list = field === 'type' ? 'asset_type' : 'asset_status';
    // The asset's own value answers without looking at the list: nothing to remember.
    if (text === null || (current !== null && foldText(current) === foldText(text))) return canonicalListValue(this.ctx, issues, field, list, text, current);
    const key = `${list}\n${text}`;
    let known = this.listed.get(key);
    if (!known) {
      const own = new IssueList();
      known = { value: await canonicalListValue(this.ctx, own, field, list, text), issues: own.issues };
      this.listed.set(key, known);
    }
    for (const issue of known.issues) issues.add(field, issue.code, issue.message);
    return known.value;
  }
}
