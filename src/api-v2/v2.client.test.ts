// A TypeScript client generated from the live document (openapi-typescript) compiles, and its types
// describe what the API really answers: a small client written against them is type-checked with the
// TypeScript compiler, including a mistake the types must refuse.
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTypesOf } from '../../test/support/api-types.ts';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { listen, type Requester } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';

const CLIENT = `
import type { paths } from './steward-api-v2';

type History = paths['/assets/{id}/history']['get']['responses'][200]['content']['application/json'];
type HistoryQuery = NonNullable<paths['/assets/{id}/history']['get']['parameters']['query']>;
type TransferBody = paths['/assets/transfers']['post']['requestBody']['content']['application/json'];
type Transferred = paths['/assets/transfers']['post']['responses'][201]['content']['application/json'];
type NotFound = paths['/assets/{id}/history']['get']['responses'][404]['content']['application/problem+json'];

export async function history(base: string, key: string, id: number, query: HistoryQuery = {}): Promise<History | NotFound> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const answer = await fetch(\`\${base}/api/v2/assets/\${id}/history?\${search}\`, { headers: { authorization: \`Bearer \${key}\` } });
  return (await answer.json()) as History | NotFound;
}

export function nextCursor(page: History): number | null {
  const first = page.events[0];
  if (first) {
    const when: string = first.created_at;
    const changed: string[] = first.changes.map((c) => c.field);
    void when;
    void changed;
  }
  return page.next_cursor;
}

export const body: TransferBody = { asset_ids: [1, 2], to_client_id: 3, dry_run: true, mappings: { location: { '4': null } } };
export const ids = (t: Transferred): number[] => t.transfers.map((x) => x.to_asset_id);
export const detail = (p: NotFound): string => p.detail;

// @ts-expect-error the cursor is a number, never text
export const wrong: History = { events: [], next_cursor: 'later' };
// @ts-expect-error to_client_id is required
export const incomplete: TransferBody = { asset_ids: [1] };
`;

describe.each(DIALECTS)('the generated TypeScript client on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Requester;
  let dir: string;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store });
    http = await listen(app);
    dir = mkdtempSync(join(tmpdir(), 'steward-api-types-'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is generated from the live document and type-checks a client written against it', async () => {
    const document = (await http({ url: '/api/v2/openapi.json' })).json() as object;
    writeFileSync(join(dir, 'steward-api-v2.d.ts'), await apiTypesOf(document));
    writeFileSync(join(dir, 'client.ts'), CLIENT);
    const program = ts.createProgram([join(dir, 'client.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      skipLibCheck: false,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map(
        (d) =>
          `${d.file ? `${d.file.fileName.replace(dir, '')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    expect(problems).toEqual([]);
  }, 120_000);
});
