export interface DemoClient {
  name: string;
  code: string;
  type: string;
  website: string;
  people: number;
  laptops: number;
  desktops: number;
  sites: Array<{ name: string; address: string; city: string; phone: string }>;
}

export const DEMO_CLIENTS: DemoClient[] = [
  {
    name: 'Harbor Dental Group',
    code: 'HDG',
    type: 'Healthcare',
    website: 'harbordental.example',
    people: 14,
    laptops: 26,
    desktops: 24,
    sites: [
      { name: 'Main Clinic', address: '12 Wharf Street', city: 'Portsmouth', phone: '555-0100' },
      { name: 'Eastside Clinic', address: '480 Elm Avenue', city: 'Portsmouth', phone: '555-0101' },
    ],
  },
  {
    name: 'Northwind Logistics',
    code: 'NWL',
    type: 'Logistics',
    website: 'northwind.example',
    people: 12,
    laptops: 20,
    desktops: 18,
    sites: [
      { name: 'Head Office', address: '1 Harbour Road', city: 'Seattle', phone: '555-0200' },
      { name: 'Warehouse 3', address: '77 Dock Lane', city: 'Tacoma', phone: '555-0201' },
    ],
  },
  {
    name: 'Brightline Law LLP',
    code: 'BLL',
    type: 'Legal',
    website: 'brightlinelaw.example',
    people: 9,
    laptops: 16,
    desktops: 14,
    sites: [{ name: 'Chambers', address: '200 Court Plaza', city: 'Boston', phone: '555-0300' }],
  },
  {
    name: 'Bluebird Bakery Co.',
    code: 'BBC',
    type: 'Retail',
    website: 'bluebirdbakery.example',
    people: 6,
    laptops: 12,
    desktops: 10,
    sites: [
      { name: 'Bakery & Café', address: '9 Mill Road', city: 'Burlington', phone: '555-0400' },
      { name: 'Farmers Market Stall', address: 'Stall 14, Church St Market', city: 'Burlington', phone: '555-0401' },
    ],
  },
];

export const FIRST_NAMES = [
  'Ana',
  'Ben',
  'Chloé',
  'Dmitri',
  'Elif',
  'Farah',
  'George',
  'Hana',
  'Ivan',
  'Jonas',
  'Keiko',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Priya',
  'Quentin',
  'Rosa',
  'Sami',
  'Tomás',
];
export const LAST_NAMES = [
  'Alvarez',
  'Becker',
  'Chen',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Müller',
  'Nakamura',
  'Okafor',
  'Patel',
];
