// A client's contacts in the web UI (the pages themselves are the shared record pages).
import type { FastifyInstance } from 'fastify';
import type { Store } from '../platform/db/store.ts';
import { assetField } from '../assets/asset-linkage.ts';
import { registerRecordPages, type RecordField } from '../web/record-pages.tsx';
import { archiveContact, createContact, deleteContact, restoreContact, updateContact } from './contact.service.ts';

const FIELDS: RecordField[] = [
  { name: 'name', column: 'name', label: 'Name', required: true },
  { name: 'title', column: 'title', label: 'Title' },
  { name: 'email', column: 'email', label: 'Email', kind: 'email' },
  { name: 'phone', column: 'phone', label: 'Phone' },
  { name: 'extension', column: 'extension', label: 'Extension' },
  { name: 'mobile', column: 'mobile', label: 'Mobile' },
  { name: 'department', column: 'department', label: 'Department' },
  { name: 'locationId', column: 'location_id', label: 'Location', kind: 'location' },
  { name: 'notes', column: 'notes', label: 'Notes', kind: 'textarea' },
];

export function registerContactPages(app: FastifyInstance, store: Store): void {
  registerRecordPages(app, store, {
    table: 'contacts',
    singular: 'contact',
    plural: 'Contacts',
    module: 'client',
    linkage: assetField('contactId'),
    fields: FIELDS,
    importable: true,
    listColumns: FIELDS.filter((f) => ['title', 'email', 'phone'].includes(f.name)),
    create: createContact,
    update: updateContact,
    archive: archiveContact,
    restore: restoreContact,
    remove: deleteContact,
  });
}
