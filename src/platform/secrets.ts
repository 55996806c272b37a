// Encryption of stored secrets (login passwords, TOTP seeds) with AES-256-GCM under one instance key.
// The key comes from STEWARD_SECRET_KEY or, failing that, a file in the data directory created on
// first run. Several app servers sharing one PostgreSQL must share the key (set the variable).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { makePrivateDir } from './private-files.ts';
import { join } from 'node:path';
import { ConfigError, type Config } from './config.ts';

const VERSION = 'v1';

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new ConfigError('the secret key must be 32 bytes (44 characters of base64)');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a Steward secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}

/** Where the key comes from, for messages: the variable, or the file in the data directory. */
export function keySource(config: Pick<Config, 'secretKey' | 'dataDir'>): string {
  return config.secretKey ? 'STEWARD_SECRET_KEY' : join(config.dataDir, 'secret.key');
}

/** The instance key as configured, or null when there is neither the variable nor the key file. */
export function readSecretBox(config: Pick<Config, 'secretKey' | 'dataDir'>): SecretBox | null {
  if (config.secretKey) {
    const key = Buffer.from(config.secretKey, 'base64');
    if (key.length !== 32) throw new ConfigError('STEWARD_SECRET_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)');
    return new SecretBox(key);
  }
  const file = join(config.dataDir, 'secret.key');
  if (!existsSync(file)) return null;
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ConfigError(`${file} does not hold a 32-byte base64 key`);
  return new SecretBox(key);
}

/** Makes the key file of a new installation (a no-op when another process made it a moment ago). */
export function createKeyFile(config: Pick<Config, 'dataDir'>): void {
  const file = join(config.dataDir, 'secret.key');
  makePrivateDir(config.dataDir);
  // 'wx' fails if another process created it a moment ago; then we read theirs.
  try {
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** The instance key, making the key file on first run. (Server start checks it against the database first.) */
export function loadSecretBox(config: Pick<Config, 'secretKey' | 'dataDir'>): SecretBox {
  const box = readSecretBox(config);
  if (box) return box;
  createKeyFile(config);
  return readSecretBox(config)!;
}
