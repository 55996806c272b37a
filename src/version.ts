import { existsSync, readFileSync } from 'node:fs';

/** package.json, found upwards from this module: src/ and dist/ sit one level down, dist/bundle/ two. */
function packageJson(): string {
  for (const up of ['../package.json', '../../package.json']) {
    const url = new URL(up, import.meta.url);
    if (existsSync(url)) return readFileSync(url, 'utf8');
  }
  throw new Error('package.json not found above the Steward code');
}

/** Steward's version, from package.json. */
export const VERSION: string = JSON.parse(packageJson()).version;
