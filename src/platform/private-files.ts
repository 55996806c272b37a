// The data folder holds the database, its WAL, the secret key and backups: readable by Steward's own
// user only. Folders are made 0700 and files 0600, whatever the umask of the shell that started it.
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';

/** Files this process creates are private unless made otherwise (inherited by its worker processes). */
export function usePrivateUmask(): void {
  process.umask(0o077);
}

export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** A database file (and its -wal and -shm) left readable by others by an older version is made private. */
export function makeFilesPrivate(files: string[]): void {
  for (const file of files) {
    if (!existsSync(file)) continue;
    const stat = statSync(file);
    if ((stat.mode & 0o077) !== 0 && typeof process.getuid === 'function' && stat.uid === process.getuid()) chmodSync(file, 0o600);
  }
}
