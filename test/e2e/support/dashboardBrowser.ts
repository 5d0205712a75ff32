// Headless Chromium (Debian's `chromium` package) driven by playwright-core, for the dashboard's
// end-to-end tests. A missing browser or bundle fails the tests with what to do, never skips them.
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUNDLE_INDEX = path.join(ROOT, 'dist', 'dashboard', 'index.html');
const SOURCES = [
  path.join(ROOT, 'dashboard', 'src'),
  path.join(ROOT, 'dashboard', 'index.html'),
  path.join(ROOT, 'dashboard', 'vite.config.ts'),
];
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'screenshots');

/** CHROMIUM_PATH, else `chromium` (or `chromium-browser`) on PATH. */
export function chromiumPath(): string {
  const given = process.env['CHROMIUM_PATH'];
  if (given) {
    if (!isExecutable(given)) throw new Error(`CHROMIUM_PATH=${given} is not an executable file`);
    return given;
  }
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  throw new Error(
    'Chromium was not found: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH to its executable',
  );
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The tests drive the built bundle, so it must exist and be newer than every dashboard source. */
export function assertDashboardBuilt(): void {
  let built: number;
  try {
    built = statSync(BUNDLE_INDEX).mtimeMs;
  } catch {
    throw new Error(
      'The dashboard is not built: run npm run build:dashboard (npm test and npm run test:e2e do it first)',
    );
  }
  // Unit tests beside the sources are not part of the bundle.
  const newer = SOURCES.flatMap(filesUnder).find(
    (file) => !file.endsWith('.test.ts') && statSync(file).mtimeMs > built,
  );
  if (newer)
    throw new Error(`The dashboard bundle is older than ${path.relative(ROOT, newer)}: run npm run build:dashboard`);
}

function filesUnder(entry: string): string[] {
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry).flatMap((name) => filesUnder(path.join(entry, name)));
}

export async function launchChromium(): Promise<Browser> {
  assertDashboardBuilt();
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
}

/** A page as a phone (width 360) or a laptop sees it; motion reduced so charts draw at once. */
export async function openPage(browser: Browser, options: { phone?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.phone ? { width: 360, height: 740 } : { width: 1280, height: 900 },
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const refused: string[] = [];
  cspViolations.set(page, refused);
  // Chromium reports every script, style, image or request the Content-Security-Policy blocked.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  return page;
}

const cspViolations = new WeakMap<Page, string[]>();

/** Fails when the page was refused anything by the server's Content-Security-Policy so far. */
export function assertNoCspViolations(page: Page): void {
  const refused = cspViolations.get(page) ?? [];
  if (refused.length > 0) throw new Error(`The page broke the Content-Security-Policy:\n${refused.join('\n')}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in on the dashboard's own form, as a person would. */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/dashboard/`);
  await page.getByLabel('API key or admin token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  assertNoCspViolations(page);
}

/** Moves to a section through the menu. */
export async function openSection(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  assertNoCspViolations(page);
}

/** Every admin API path the page asked for, to prove it never asked about another tenant. */
export function recordApiCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) calls.push(`${request.method()} ${url.pathname}${url.search}`);
  });
  return calls;
}
