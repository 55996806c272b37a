// A client's networks in the web UI (the pages themselves are the shared record pages); a network's
// page lists the interfaces on it.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../platform/db/store.ts';
import { networkInterfaces } from '../assets/asset-linkage.ts';
import { registerRecordPages, type RecordField } from '../web/record-pages.tsx';
import { archiveNetwork, createNetwork, deleteNetwork, restoreNetwork, updateNetwork } from './network.service.ts';

const FIELDS: RecordField[] = [
  { name: 'name', column: 'name', label: 'Name', required: true },
  { name: 'cidr', column: 'cidr', label: 'Network (CIDR)' },
  { name: 'vlan', column: 'vlan', label: 'VLAN' },
  { name: 'gateway', column: 'gateway', label: 'Gateway' },
  { name: 'dhcpRange', column: 'dhcp_range', label: 'DHCP range' },
  { name: 'primaryDns', column: 'primary_dns', label: 'Primary DNS' },
  { name: 'secondaryDns', column: 'secondary_dns', label: 'Secondary DNS' },
  { name: 'locationId', column: 'location_id', label: 'Location', kind: 'location' },
  { name: 'description', column: 'description', label: 'Description', kind: 'textarea' },
  { name: 'notes', column: 'notes', label: 'Notes', kind: 'textarea' },
];

export function registerNetworkPages(app: FastifyInstance, store: Store): void {
  registerRecordPages(app, store, {
    table: 'networks',
    singular: 'network',
    plural: 'Networks',
    module: 'support',
    linkage: networkInterfaces,
    fields: FIELDS,
    listColumns: FIELDS.filter((f) => ['cidr', 'vlan', 'gateway'].includes(f.name)),
    create: createNetwork,
    update: updateNetwork,
    archive: archiveNetwork,
    restore: restoreNetwork,
    remove: deleteNetwork,
  });
}
