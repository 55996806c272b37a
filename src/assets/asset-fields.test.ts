// ASSET_FIELDS is the one description of an asset's editable fields: the rules, the CSV export and
// import, the form and the asset page read it. These tests hold every consumer to it, so a field added
// there is checked, exported, imported and shown without another list to remember.
import { describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../csv/export-columns.ts';
import { IMPORT_FIELDS, importFieldOf, mapHeadings } from '../imports/import-headings.ts';
import { IssueList } from '../platform/errors.ts';
import { ASSET_COLUMNS, ASSET_FIELDS, type AssetFieldDef, EDITABLE_FIELDS } from './asset-fields.ts';
import { parseAssetScalars } from './asset.rules.ts';

const defs = EDITABLE_FIELDS.map((field) => ({ field, def: ASSET_FIELDS[field] as AssetFieldDef }));

describe('the asset field table', () => {
  it('gives every field a column of its own and a label', () => {
    const columns = EDITABLE_FIELDS.map((f) => ASSET_COLUMNS[f]);
    expect(new Set(columns).size).toBe(columns.length);
    for (const { def } of defs) expect(def.label).not.toBe('');
  });

  it('exports every field under its heading: plain fields as stored, references by name', () => {
    const headings = Object.values(EXPORT_COLUMNS).map((c) => c.heading);
    for (const { def } of defs) expect(headings).toContain(def.csv?.heading ?? def.label);
    for (const { def } of defs.filter((d) => d.def.kind !== 'reference')) expect(EXPORT_COLUMNS[def.column]?.heading).toBe(def.csv?.heading ?? def.label);
  });

  it('imports every field from its heading and each of its aliases, as the export writes it', () => {
    for (const { field, def } of defs) {
      if (!def.csv) continue;
      const column = importFieldOf(field);
      expect(IMPORT_FIELDS[column]?.heading).toBe(def.csv.heading);
      expect(mapHeadings([def.csv.heading]).columns).toEqual([column]);
      for (const alias of def.csv.aliases) expect(mapHeadings([alias]).columns).toEqual([column]);
    }
  });

  it('checks every free-text field against its length and every date as a date, naming the field', () => {
    for (const { field, def } of defs) {
      if (field === 'name') continue;
      const issues = new IssueList();
      if (def.kind === 'text') {
        parseAssetScalars({ name: 'Laptop', [field]: 'x'.repeat(def.max! + 1) }, 'create', issues);
        expect(issues.issues.map((i) => i.field)).toEqual([field]);
        const ok = new IssueList();
        expect(parseAssetScalars({ name: 'Laptop', [field]: ` ${'x'.repeat(def.max!)} ` }, 'create', ok)[field]).toBe('x'.repeat(def.max!));
        expect(ok.issues).toEqual([]);
      }
      if (def.kind === 'date') {
        parseAssetScalars({ name: 'Laptop', [field]: '2026-02-30' }, 'create', issues);
        expect(issues.issues.map((i) => i.field)).toEqual([field]);
      }
      if (def.kind === 'flag') {
        expect(parseAssetScalars({ name: 'Laptop', [field]: '1' }, 'create', issues)[field]).toBe(true);
        expect(issues.issues).toEqual([]);
      }
    }
  });
});
