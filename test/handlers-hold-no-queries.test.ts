// Handlers parse input, call a service or a query module, and shape the answer; reading and writing
// the database happens in the features' *.service.ts, *.query.ts and *.repository.ts, where the acting
// user is checked. This holds every route handler (pages, API v1, API v2) to that, so a new one cannot
// grow its own queries past the rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));
const QUERY_BUILDER = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(/g;
const REGISTERS_ROUTES = /\.(get|post|put|patch|delete|all|route)\(\s*[`'"{]|\bv1Endpoint\(/;
const DATA_ACCESS = /\.(service|query|repository|table|test)\.tsx?$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Files that register routes, and every file of the two APIs that is not a query module. */
function handlerFiles(): string[] {
  return sources(src).filter((file) => {
    if (DATA_ACCESS.test(file)) return false;
    const rel = relative(src, file);
    return rel.startsWith('api-v1/') || rel.startsWith('api-v2/') || REGISTERS_ROUTES.test(readFileSync(file, 'utf8'));
  });
}

describe('route handlers', () => {
  it('are found: the pages of every feature and both APIs', () => {
    const found = handlerFiles().map((f) => relative(src, f));
    expect(found).toEqual(
      expect.arrayContaining(['assets/asset.pages.tsx', 'web/record-pages.tsx', 'logins/login.pages.tsx', 'api-v1/v1.assets.ts', 'api-v2/v2.assets.ts']),
    );
  });

  it('hold no query-builder calls of their own', () => {
    const offenders = handlerFiles()
      .map((file) => ({ file: relative(src, file), calls: readFileSync(file, 'utf8').match(QUERY_BUILDER)?.length ?? 0 }))
      .filter((f) => f.calls > 0);
    expect(offenders).toEqual([]);
  });
});
