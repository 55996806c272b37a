// A client's services in the web UI (the shared record pages); a service's page lists its assets.
import type { FastifyInstance } from 'fastify';
import { linkTable } from '../assets/asset-linkage.ts';
import type { Store } from '../platform/db/store.ts';
import { registerRecordPages, type RecordField } from '../web/record-pages.tsx';
import { archiveService, createService, deleteService, restoreService, SERVICE_IMPORTANCE, updateService } from './service.service.ts';

const FIELDS: RecordField[] = [
  { name: 'name', column: 'name', label: 'Name', required: true },
  { name: 'category', column: 'category', label: 'Category' },
  { name: 'importance', column: 'importance', label: 'Importance', kind: 'select', options: SERVICE_IMPORTANCE },
  { name: 'backup', column: 'backup', label: 'Backup' },
  { name: 'reviewDue', column: 'review_due', label: 'Review due', kind: 'date' },
  { name: 'description', column: 'description', label: 'Description' },
  { name: 'notes', column: 'notes', label: 'Notes', kind: 'textarea' },
];

export function registerServicePages(app: FastifyInstance, store: Store): void {
  registerRecordPages(app, store, {
    table: 'services',
    singular: 'service',
    plural: 'Services',
    module: 'support',
    linkage: linkTable('service'),
    fields: FIELDS,
    listColumns: FIELDS.filter((f) => ['category', 'importance', 'reviewDue'].includes(f.name)),
    create: createService,
    update: updateService,
    archive: archiveService,
    restore: restoreService,
    remove: deleteService,
  });
}
