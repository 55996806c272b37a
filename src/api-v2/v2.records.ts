// The v2 resources besides assets, each in its own file.
import type { FastifyInstance } from 'fastify';
import { registerV2Locations } from './v2.locations.ts';
import { registerV2Logins } from './v2.logins.ts';
import { registerV2Tags } from './v2.tags.ts';
import { registerV2Lists } from './v2.lists.ts';
import { registerV2Users } from './v2.users.ts';
import { registerV2ApiKeys } from './v2.api-keys.ts';
import { registerV2AssetRecords } from './v2.asset-records.ts';
import { registerV2AssetParts } from './v2.asset-parts.ts';
import { registerV2Clients } from './v2.clients.ts';
import { registerV2Contacts } from './v2.contacts.ts';
import { registerV2Vendors } from './v2.vendors.ts';
import { registerV2Networks } from './v2.networks.ts';
import { registerV2Services } from './v2.services.ts';
import { registerV2Tickets } from './v2.tickets.ts';
import { registerV2Imports } from './v2.imports.ts';
import { registerV2Exports } from './v2.exports.ts';

export function registerV2Records(v2: FastifyInstance): void {
  registerV2Locations(v2);
  registerV2Logins(v2);
  registerV2Tags(v2);
  registerV2Lists(v2);
  registerV2Users(v2);
  registerV2ApiKeys(v2);
  registerV2AssetRecords(v2);
  registerV2AssetParts(v2);
  registerV2Clients(v2);
  registerV2Contacts(v2);
  registerV2Vendors(v2);
  registerV2Networks(v2);
  registerV2Services(v2);
  registerV2Tickets(v2);
  registerV2Imports(v2);
  registerV2Exports(v2);
}
