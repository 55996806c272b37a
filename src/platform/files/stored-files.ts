// Files kept in the database, in chunks of 1 MB: an upload that one server receives, another may read
// in the next step (several app servers on one PostgreSQL share nothing else). Written and read as
// streams, so a file of any size takes constant memory. A file becomes readable once it is complete.
import { sql } from 'kysely';
import type { DbOrTrx } from '../../database.ts';

const CHUNK_BYTES = 1024 * 1024;

export interface StoredFile {
  id: string;
  purpose: string;
  name: string;
  size: number;
  createdAt: string;
}

/** Buffers what is written into chunks and inserts each full chunk; `end()` marks the file complete. */
export class StoredFileWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private seq = 0;
  private started = false;
  size = 0;

  constructor(
    private readonly db: DbOrTrx,
    private readonly file: { id: string; purpose: string; name: string },
  ) {}

  async write(data: Buffer | string): Promise<void> {
    if (!this.started) await this.start();
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.pending.push(buffer);
    this.pendingBytes += buffer.length;
    this.size += buffer.length;
    while (this.pendingBytes >= CHUNK_BYTES) await this.flush(CHUNK_BYTES);
  }

  async end(): Promise<number> {
    if (!this.started) await this.start();
    while (this.pendingBytes > 0) await this.flush(Math.min(CHUNK_BYTES, this.pendingBytes));
    await this.db.updateTable('stored_files').set({ complete: 1, size: this.size }).where('id', '=', this.file.id).execute();
    return this.size;
  }

  /** Forgets whatever was written. */
  async abort(): Promise<void> {
    if (this.started) await removeStoredFile(this.db, this.file.id);
  }

  private async start(): Promise<void> {
    this.started = true;
    await this.db
      .insertInto('stored_files')
      .values({
        id: this.file.id,
        purpose: this.file.purpose,
        name: this.file.name.slice(0, 255),
        size: 0,
        complete: 0,
        created_at: new Date().toISOString(),
      })
      .execute();
  }

  private async flush(bytes: number): Promise<void> {
    const all = Buffer.concat(this.pending);
    const chunk = all.subarray(0, bytes);
    const rest = all.subarray(bytes);
    this.pending = rest.length ? [rest] : [];
    this.pendingBytes = rest.length;
    await this.db
      .insertInto('stored_file_chunks')
      .values({ file_id: this.file.id, seq: this.seq++, data: Buffer.from(chunk) })
      .execute();
  }
}

/**
 * Stores a stream as a file. Stops reading (and stores nothing) once it passes `maxBytes`; the caller
 * learns so from `tooLarge`.
 */
export async function storeStream(
  db: DbOrTrx,
  file: { id: string; purpose: string; name: string },
  input: AsyncIterable<Buffer | string>,
  maxBytes = Infinity,
): Promise<{ size: number; tooLarge: boolean }> {
  const writer = new StoredFileWriter(db, file);
  try {
    for await (const chunk of input) {
      await writer.write(chunk);
      if (writer.size > maxBytes) {
        await writer.abort();
        return { size: writer.size, tooLarge: true };
      }
    }
    return { size: await writer.end(), tooLarge: false };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

export async function findStoredFile(db: DbOrTrx, id: string): Promise<StoredFile | null> {
  const row = await db.selectFrom('stored_files').selectAll().where('id', '=', id).where('complete', '=', sql.lit(true)).executeTakeFirst();
  return row ? { id: row.id, purpose: row.purpose, name: row.name, size: Number(row.size), createdAt: row.created_at } : null;
}

/** The file's bytes, a chunk at a time; nothing for a file that does not exist (or is not complete). */
export async function* readStoredFile(db: DbOrTrx, id: string, options: { maxBytes?: number } = {}): AsyncGenerator<Buffer> {
  if (!(await findStoredFile(db, id))) return;
  let read = 0;
  for (let seq = 0; ; seq++) {
    const row = await db.selectFrom('stored_file_chunks').select('data').where('file_id', '=', id).where('seq', '=', seq).executeTakeFirst();
    if (!row) return;
    const data = Buffer.isBuffer(row.data) ? row.data : Buffer.from(row.data as Uint8Array);
    const room = (options.maxBytes ?? Infinity) - read;
    if (data.length >= room) {
      yield data.subarray(0, room);
      return;
    }
    read += data.length;
    yield data;
  }
}

export async function removeStoredFile(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('stored_file_chunks').where('file_id', '=', id).execute();
  await db.deleteFrom('stored_files').where('id', '=', id).execute();
}

/** Removes files of a purpose created before a time (uploads nobody finished with); returns how many. */
export async function purgeStoredFiles(db: DbOrTrx, purpose: string, before: string): Promise<number> {
  const old = await db.selectFrom('stored_files').select('id').where('purpose', '=', purpose).where('created_at', '<', before).execute();
  for (const { id } of old) await removeStoredFile(db, id);
  return old.length;
}
