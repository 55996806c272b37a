// A client's locations in the web UI (the pages themselves are the shared record pages).
import type { FastifyInstance } from 'fastify';
import type { Store } from '../platform/db/store.ts';
import { assetField } from '../assets/asset-linkage.ts';
import { registerRecordPages, type RecordField } from '../web/record-pages.tsx';
import { archiveLocation, createLocation, deleteLocation, restoreLocation, updateLocation } from './location.service.ts';

const FIELDS: RecordField[] = [
  { name: 'name', column: 'name', label: 'Name', required: true },
  { name: 'address', column: 'address', label: 'Address' },
  { name: 'city', column: 'city', label: 'City' },
  { name: 'state', column: 'state', label: 'State or region' },
  { name: 'zip', column: 'zip', label: 'Postal code' },
  { name: 'country', column: 'country', label: 'Country' },
  { name: 'phone', column: 'phone', label: 'Phone' },
  { name: 'hours', column: 'hours', label: 'Opening hours' },
  { name: 'primary', column: 'is_primary', label: 'Primary location', kind: 'checkbox' },
  { name: 'description', column: 'description', label: 'Description', kind: 'textarea' },
  { name: 'notes', column: 'notes', label: 'Notes', kind: 'textarea' },
];

export function registerLocationPages(app: FastifyInstance, store: Store): void {
  registerRecordPages(app, store, {
    table: 'locations',
    singular: 'location',
    plural: 'Locations',
    module: 'client',
    linkage: assetField('locationId'),
    fields: FIELDS,
    importable: true,
    listColumns: FIELDS.filter((f) => ['address', 'city', 'phone'].includes(f.name)),
    create: createLocation,
    update: updateLocation,
    archive: archiveLocation,
    restore: restoreLocation,
    remove: deleteLocation,
  });
}
