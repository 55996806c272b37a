// A client's vendors in the web UI (the pages themselves are the shared record pages).
import type { FastifyInstance } from 'fastify';
import type { Store } from '../platform/db/store.ts';
import { assetField } from '../assets/asset-linkage.ts';
import { registerRecordPages, type RecordField } from '../web/record-pages.tsx';
import { archiveVendor, createVendor, deleteVendor, restoreVendor, updateVendor } from './vendor.service.ts';

const FIELDS: RecordField[] = [
  { name: 'name', column: 'name', label: 'Name', required: true },
  { name: 'description', column: 'description', label: 'Description' },
  { name: 'contactName', column: 'contact_name', label: 'Contact name' },
  { name: 'phone', column: 'phone', label: 'Phone' },
  { name: 'email', column: 'email', label: 'Email', kind: 'email' },
  { name: 'website', column: 'website', label: 'Website' },
  { name: 'accountNumber', column: 'account_number', label: 'Account number' },
  { name: 'notes', column: 'notes', label: 'Notes', kind: 'textarea' },
];

export function registerVendorPages(app: FastifyInstance, store: Store): void {
  registerRecordPages(app, store, {
    table: 'vendors',
    singular: 'vendor',
    plural: 'Vendors',
    module: 'client',
    linkage: assetField('vendorId'),
    fields: FIELDS,
    listColumns: FIELDS.filter((f) => ['description', 'phone', 'accountNumber'].includes(f.name)),
    create: createVendor,
    update: updateVendor,
    archive: archiveVendor,
    restore: restoreVendor,
    remove: deleteVendor,
  });
}
