import type { Json, Timestamp } from '../platform/db/columns.ts';

export interface SettingTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
}
