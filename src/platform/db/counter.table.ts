// The counters table: named sequences (ticket numbers, the access revision), never max + 1.
export interface CounterTable {
  name: string;
  value: number;
}
