// Headless Chromium from Debian's package, driven by playwright-core (never a downloaded browser).
// A missing browser fails the tests: CI installs it, and nothing is skipped silently.
import type { FastifyInstance } from 'fastify';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config, type DatabaseKind } from '../../src/platform/config.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { openStore, type Store } from '../../src/platform/db/store.ts';
import type { SecretBox } from '../../src/platform/secrets.ts';
import { createEmptyDatabase } from './databases.ts';

export const CHROMIUM = process.env.STEWARD_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a screenshot as a test artifact in test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join('test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** WCAG 2.1 A and AA, plus axe's best practices (landmarks, regions, headings). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
let axeSource: string | undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** Each element at fault: its selector and axe's reason (for contrast: the colours and the ratio). */
  nodes: Array<{ target: unknown[]; why: string }>;
}

/** axe-core's findings on the page as it is now (its script injected from node_modules, never the network). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(join('node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // Evaluated rather than added as a <script>: the app's Content-Security-Policy refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    type Check = { message: string };
    type Found = Omit<AxeViolation, 'nodes'> & { nodes: Array<{ target: unknown[]; any: Check[]; all: Check[]; none: Check[] }> };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Found[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, why: [...n.any, ...n.all, ...n.none].map((c) => c.message).join(' ') })),
    }));
  }, AXE_TAGS);
}

/**
 * One line per broken rule: its id, what it asks, how many elements break it and the first three
 * (every element, each with axe's reason, when `everyNode` is set).
 */
export function describeViolations(violations: AxeViolation[], everyNode = false): string {
  return violations
    .map((v) => {
      const head = `${v.id} (${v.impact ?? 'n/a'}, ${v.nodes.length} node(s)): ${v.help}`;
      if (everyNode) return [head, ...v.nodes.map((n) => `  ${n.target.map(String).join(' ')}: ${n.why}`)].join('\n');
      return `${head} — ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.map(String).join(' '))
        .join(' | ')}`;
    })
    .join('\n');
}

/** Fails, listing each rule broken, when axe-core finds anything on the page (WCAG 2.1 AA and best practices). */
export async function expectNoAxeViolations(page: Page, label = page.url()): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.length === 0 ? '' : `${label}:\n${describeViolations(violations)}`, `accessibility of ${label}`).toBe('');
}

export interface BrowserApp {
  /** http://127.0.0.1:port of the running app. */
  base: string;
  store: Store;
  /** Acts as the system, for setting up data behind the browser's back. */
  ctx: Ctx;
  browser: Browser;
}

/**
 * A fresh database of the given kind, the whole app listening on it, and Chromium, for one browser test
 * file; all of it closed and dropped afterwards. A missing Chromium fails the file.
 */
export function useBrowserApp(dialect: DatabaseKind, options: { config?: Partial<Config>; secretBox?: SecretBox } = {}): BrowserApp {
  const env = {} as BrowserApp;
  let app: FastifyInstance | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install chromium)`).toBe(true);
    const db = await createEmptyDatabase(dialect);
    drop = db.drop;
    env.store = openStore({ kind: dialect, url: db.url });
    await migrateToLatest(env.store);
    app = await buildApp({
      config: { ...loadConfig({}), logLevel: 'silent', ...options.config },
      store: env.store,
      ...(options.secretBox ? { secretBox: options.secretBox } : {}),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    env.base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    env.ctx = { db: env.store.db, dialect: env.store.dialect, actor: { type: 'system', name: 'browser test' }, principal: null, source: 'system' };
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await app?.close();
    await env.store?.close();
    await drop?.();
  });
  return env;
}
