// ITFlow's seeded values: asset types, statuses, note types, interface types, the three roles,
// and default settings. Frozen copies: later changes to these lists are data, edited by admins.
import type { Kysely } from 'kysely';
import type { Kit } from './schema-kit.ts';

const ASSET_TYPES: Array<[string, string]> = [
  ['Laptop', 'laptop'],
  ['Desktop', 'desktop'],
  ['Server', 'server'],
  ['Phone', 'phone'],
  ['Mobile Phone', 'mobile'],
  ['Tablet', 'tablet'],
  ['Firewall/Router', 'fire'],
  ['Switch', 'network'],
  ['Access Point', 'wifi'],
  ['Printer', 'print'],
  ['Display', 'tv'],
  ['Camera', 'video'],
  ['Virtual Machine', 'cloud'],
  ['Other', 'tag'],
];

const ASSET_STATUSES: Array<[string, string]> = [
  ['Ready to Deploy', 'Asset is configured and ready to be assigned'],
  ['Deployed', 'Asset is actively in use and assigned to a client or location'],
  ['Out for Repair', 'Asset has been sent out for servicing or repair'],
  ['Lost', 'Asset location is unknown and cannot be accounted for'],
  ['Stolen', 'Asset has been reported stolen'],
  ['Retired', 'Asset has been decommissioned and is no longer in service'],
];

const NOTE_TYPES: Array<[string, string]> = [
  ['Maintenance', 'tools'],
  ['Repair', 'wrench'],
  ['Configuration', 'sliders'],
  ['Upgrade', 'arrow-up'],
  ['Inspection', 'clipboard-check'],
  ['Note', 'sticky-note'],
];

const INTERFACE_TYPES = ['Ethernet', 'SFP', 'SFP+', 'QSFP28', 'QSFP-DD', 'Coaxial', 'Fiber', 'WiFi'];

// ITFlow's modules and seeded role levels (1 read, 2 write, 3 full).
const ROLES: Array<{ name: string; description: string; isAdmin: boolean; levels: Record<string, number> }> = [
  {
    name: 'Accountant',
    description: 'Reads clients and assets; manages financial records',
    isAdmin: false,
    levels: { client: 1, support: 1, credential: 0, sales: 1, financial: 2, reporting: 1 },
  },
  {
    name: 'Technician',
    description: 'Manages clients, assets and logins',
    isAdmin: false,
    levels: { client: 2, support: 2, credential: 2, sales: 2, financial: 0, reporting: 0 },
  },
  {
    name: 'Administrator',
    description: 'Full access to everything, including administration',
    isAdmin: true,
    levels: { client: 3, support: 3, credential: 3, sales: 3, financial: 3, reporting: 3 },
  },
];

export async function up(db: Kysely<any>, kit: Kit): Promise<void> {
  const now = new Date().toISOString();
  const bool = (b: boolean) => (kit.dialect === 'postgres' ? b : b ? 1 : 0);
  const lists = [
    ...ASSET_TYPES.map(([name, icon], i) => ({ list: 'asset_type', name, icon, description: null, sort_order: i + 1 })),
    ...ASSET_STATUSES.map(([name, description], i) => ({ list: 'asset_status', name, icon: null, description, sort_order: i + 1 })),
    ...NOTE_TYPES.map(([name, icon], i) => ({ list: 'note_type', name, icon, description: null, sort_order: i + 1 })),
    ...INTERFACE_TYPES.map((name, i) => ({ list: 'interface_type', name, icon: null, description: null, sort_order: i + 1 })),
  ];
  await db
    .insertInto('list_values')
    .values(lists.map((v) => ({ ...v, created_at: now })))
    .execute();

  for (const role of ROLES) {
    const row = await db
      .insertInto('roles')
      .values({ name: role.name, description: role.description, is_admin: bool(role.isAdmin), created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('role_permissions')
      .values(Object.entries(role.levels).map(([module, level]) => ({ role_id: row.id, module, level })))
      .execute();
  }

  await db
    .insertInto('settings')
    .values([
      { key: 'audit.retention_days', value: JSON.stringify(90), updated_at: now },
      { key: 'company.name', value: JSON.stringify(null), updated_at: now },
    ])
    .execute();
}
