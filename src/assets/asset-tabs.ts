// The type tabs of asset lists (and of `steward export assets --type`): which types each one shows.
// Apart from the list query so the CLI can name them without loading the database code.
export const TYPE_TABS = {
  all: { label: 'All', types: null },
  workstations: { label: 'Workstations', types: ['Desktop', 'Laptop'] },
  servers: { label: 'Servers', types: ['Server'] },
  virtual: { label: 'Virtual', types: ['Virtual Machine'] },
  network: { label: 'Network', types: ['Firewall/Router', 'Switch', 'Access Point'] },
  other: { label: 'Other', types: null },
} as const;
export type TabKey = keyof typeof TYPE_TABS;
