// A generated asset row and the database-specific writer that stores rows in bulk.

export interface Row {
  id: number;
  client_id: number;
  name: string;
  type: string;
  make: string;
  model: string;
  serial: string;
  os: string | null;
  status: string;
  purchase_date: string;
  warranty_expire: string;
  install_date: string;
  mac: string;
  ip: string;
  doc: string;
}

export interface Writer {
  clients(count: number): Promise<number[]>;
  maxAssetId(): Promise<number>;
  assets(rows: Row[]): Promise<void>;
  finish(): Promise<void>;
  /** Undoes what the writer started, after a failure. */
  abort?(): Promise<void>;
}
