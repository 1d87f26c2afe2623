// Real-browser harness for the e2e tests and the bench: serves the built app and drives Debian's Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { SeedGroupInput, SeedGroupResult } from './seed-page';
import type { TimerStep } from '../src/shared/method';

export const ROOT = resolve(import.meta.dirname, '..');
export const CHROMIUM_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';
/** The same flags for Playwright and Lighthouse: no GPU, no sandbox (CI runs as root), and none of
 * Chromium's own background traffic, which would make "offline" and timings lie. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => ok(port));
    });
  });
}

export interface AppServer {
  url: string;
  /** 'server' when the real Node server serves dist/, 'preview' for vite preview (no /api). */
  kind: 'server' | 'preview';
  logs: () => string;
  stop: () => Promise<void>;
}

/** Serves dist/ on a free port: the real server when it exists (with a throwaway data dir), else vite preview. */
export async function startApp(): Promise<AppServer> {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) throw new Error('dist/ ontbreekt: eerst `npm run build`');
  const port = await freePort();
  const useServer = existsSync(join(ROOT, 'src', 'server', 'main.ts'));
  const dataDir = mkdtempSync(join(tmpdir(), 'lk-e2e-data-'));
  // Always the embedded SQLite in a throwaway dir: a developer's DATABASE_URL must never receive test data.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'production' };
  delete env.DATABASE_URL;
  const args = useServer
    ? ['--import', 'tsx', 'src/server/main.ts']
    : [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(url, child, () => out);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    kind: useServer ? 'server' : 'preview',
    logs: () => out,
    stop: async () => {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForHttp(url: string, child: ChildProcess, logs: () => string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server stopte (code ${child.exitCode}):\n${logs()}`);
    try {
      const res = await fetch(url + '/', { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server antwoordde niet binnen ${timeoutMs} ms:\n${logs()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(t);
}

/** Playwright's launch() already gives every browser a fresh temporary profile (user-data-dir). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/** A phone: 360×740, touch, Dutch, service workers allowed. */
export async function phoneContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    serviceWorkers: 'allow',
  });
  // tsx compiles page.evaluate callbacks with esbuild's keepNames, which calls a __name helper the page lacks.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  return context;
}

/** Loads the app online and waits until the service worker controls the page, so it works offline next. */
export async function openControlled(page: Page, url: string): Promise<void> {
  await page.goto(url + '/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((ok) => navigator.serviceWorker.addEventListener('controllerchange', () => ok(), { once: true }));
  });
}

const SHOTS = join(ROOT, 'test-results');

/** Saves a screenshot under test-results/ (ignored by git) for looking at a failure afterwards. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Reads a whole object store of the app's database as the app's data layer reads it: rows are sealed at rest from
 * their first write, so only the data layer (with the phone's key) shows their fields. Another database is read
 * straight from IndexedDB. */
export async function idbAll<T = Record<string, unknown>>(page: Page, store: string, dbName = 'luisterkring'): Promise<T[]> {
  if (dbName === 'luisterkring') {
    await injectSeeder(page);
    return page.evaluate((s) => (globalThis as unknown as { lkSeed: SeedApi }).lkSeed.rows(s), store) as Promise<T[]>;
  }
  return page.evaluate(
    ([name, storeName]) =>
      new Promise<T[]>((ok, fail) => {
        const open = indexedDB.open(name);
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const idb = open.result;
          const req = idb.transaction(storeName, 'readonly').objectStore(storeName).getAll();
          req.onsuccess = () => {
            ok(req.result as T[]);
            idb.close();
          };
          req.onerror = () => fail(req.error);
        };
      }),
    [dbName, store] as const,
  );
}

let seederSource: Promise<string> | null = null;

/** Adds window.lkSeed (test-setup/seed-page.ts, bundled once per process) to the page. Seeded rows reach the
 * open screens only after a reload: they come from a second Dexie instance the app's live queries do not watch. */
async function injectSeeder(page: Page): Promise<void> {
  seederSource ??= import('esbuild').then(async ({ build }) => {
    const out = await build({
      entryPoints: [join(ROOT, 'test-setup', 'seed-page.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    return out.outputFiles[0].text;
  });
  const present = await page.evaluate(() => 'lkSeed' in globalThis);
  // Evaluated, not added as a <script>: the server's Content-Security-Policy (script-src 'self') refuses inline scripts.
  if (!present) await page.evaluate(await seederSource);
}

type SeedApi = {
  seedGroup(input: SeedGroupInput): Promise<SeedGroupResult>;
  startTodaysRound(groupId: string): Promise<string>;
  recordStepAt(roundId: string, events: { step: TimerStep; kind: 'start' | 'stop'; at: number }[]): Promise<void>;
  rows(store: string): Promise<unknown[]>;
  seedDemo(year: number): Promise<{ records: number; groupIds: string[] }>;
};

/** Seeds participants (and optionally years of past rounds) into the page's database; see seed-page.ts. */
export async function seedGroup(page: Page, input: SeedGroupInput): Promise<SeedGroupResult> {
  await injectSeeder(page);
  return page.evaluate((i) => (globalThis as unknown as { lkSeed: SeedApi }).lkSeed.seedGroup(i), input);
}

/** Starts today's round of a group through the app's own startRound. */
export async function startTodaysRound(page: Page, groupId: string): Promise<string> {
  await injectSeeder(page);
  return page.evaluate((g) => (globalThis as unknown as { lkSeed: SeedApi }).lkSeed.startTodaysRound(g), groupId);
}

/** Records timer events at given times through the app's own recordStep (e.g. a step started hours ago). */
export async function recordStepAt(page: Page, roundId: string, events: { step: TimerStep; kind: 'start' | 'stop'; at: number }[]): Promise<void> {
  await injectSeeder(page);
  await page.evaluate(([r, e]) => (globalThis as unknown as { lkSeed: SeedApi }).lkSeed.recordStepAt(r, e), [roundId, events] as const);

}

/** Writes the demo organisation's year into the page's database (see seed-page.ts). */
export async function seedDemo(page: Page, year: number): Promise<{ records: number; groupIds: string[] }> {
  await injectSeeder(page);
  return page.evaluate((y) => (globalThis as unknown as { lkSeed: SeedApi }).lkSeed.seedDemo(y), year);
}

/** The password a test chooses in place of a one-time code: the server serves nothing else until one is chosen. */
export const ownPasswordFor = (code: string) => `${code}-eigen`;

/** The first coördinator's one-time password, as the server printed it on its first start. */
export function firstPassword(app: AppServer): string {
  const m = /eenmalig wachtwoord: (\S+)/.exec(app.logs());
  if (!m) throw new Error(`geen eerste wachtwoord in de serverlog:\n${app.logs()}`);
  return m[1];
}

/** On the sync screen's login form: logs in, and when the password was a one-time code, chooses the own password
 * (ownPasswordFor) in the form the app shows, as a person must before anything syncs. Returns the password that
 * works from now on. */
export async function logIn(page: Page, username: string, password: string): Promise<string> {
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByText(`Ingelogd als ${username}`).waitFor();
  // The app stored the server's answer before it showed "Ingelogd als": it says whether the code must go first.
  const user = (await idbAll<{ key: string; value: { mustChangePassword?: boolean } }>(page, 'meta')).find((m) => m.key === 'user');
  if (!user?.value.mustChangePassword) return password;
  const form = page.getByRole('heading', { name: 'Kies je eigen wachtwoord' });
  const own = ownPasswordFor(password);
  await page.getByLabel('Eenmalige code', { exact: true }).fill(password);
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(own);
  await page.getByLabel('Herhaal het nieuwe wachtwoord', { exact: true }).fill(own);
  await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
  await form.waitFor({ state: 'detached' });
  return own;
}

/** The sync screen says everything is sent and up to date. */
export async function synced(page: Page): Promise<void> {
  await page.getByRole('status').filter({ hasText: 'Alles is bijgewerkt met de server.' }).waitFor();
  await page.getByText('Er wachten geen wijzigingen.').waitFor();
}

/** "Nu synchroniseren" on the sync screen, then wait until the screen says all is sent and up to date. */
export async function syncViaUi(page: Page): Promise<void> {
  await page.evaluate(() => (location.hash = '#/sync'));
  const now = page.getByRole('button', { name: 'Nu synchroniseren', exact: true });
  await now.and(page.locator(':enabled')).waitFor();
  await now.click();
  await synced(page);
}

/** A new phone with the app installed (service worker in control), logged in on the sync screen and synced. */
export async function loggedInPhone(browser: Browser, url: string, username: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await openControlled(page, url);
  await page.goto(`${url}/#/sync`);
  await logIn(page, username, password);
  await synced(page);
  return { context, page };
}
