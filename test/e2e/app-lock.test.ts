// App lock in real Chromium: with a PIN, IndexedDB holds no readable note text or names; unlocking brings everything back.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, launchBrowser, phoneContext, screenshot, seedGroup, startApp, startTodaysRound, type AppServer } from '../../test-setup/browser';
import { beginSteps, doStep, Taps } from '../../test-setup/round-scenario';

const test = suite('app lock');
let app: AppServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const PIN = '246810';
const NOTE = 'Wilhelmina vertelde over de deurwaarder en haar zoon';
const NAME = 'Wilhelmina';

test.before(async () => {
  app = await startApp();
  browser = await launchBrowser();
  context = await phoneContext(browser);
  page = await context.newPage();
});

test.after(async () => {
  await browser?.close();
  await app?.stop();
});

/** Every object store of the app's database, read with the plain IndexedDB API in the page, as one JSON text. */
async function rawDatabase(): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((ok, fail) => {
        const open = indexedDB.open('luisterkring');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const idb = open.result;
          const names = [...idb.objectStoreNames];
          const tx = idb.transaction(names, 'readonly');
          const out: Record<string, unknown[]> = {};
          for (const n of names) {
            const req = tx.objectStore(n).getAll();
            req.onsuccess = () => (out[n] = req.result);
          }
          tx.oncomplete = () => {
            idb.close();
            ok(JSON.stringify(out));
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
  );
}

const lockHeading = (p: Page = page) => p.getByRole('heading', { name: 'Luisterkring is vergrendeld' });

async function unlockWith(pin: string, p: Page = page): Promise<void> {
  for (const digit of pin) await p.getByRole('button', { name: digit, exact: true }).click();
  await p.getByRole('button', { name: 'Ontgrendel' }).click();
}

test('set a PIN, write a note, lock: IndexedDB holds no readable text; unlock finds everything; a reload is locked', async () => {
  try {
    await page.goto(app.url + '/');
    const { groupId } = await seedGroup(page, { names: [NAME, 'Bram'] });
    const roundId = await startTodaysRound(page, groupId);

    await page.goto(`${app.url}/#/sync`);
    await page.getByRole('link', { name: 'App-vergrendeling instellen' }).click();
    await page.getByLabel('Nieuwe pincode (6 tot 8 cijfers)').fill(PIN);
    await page.getByLabel('Herhaal de pincode').fill(PIN);
    const started = Date.now();
    await page.getByRole('button', { name: 'Pincode instellen' }).click();
    await page.getByRole('button', { name: 'Vergrendel nu' }).waitFor({ timeout: 20_000 });
    const setMs = Date.now() - started;

    await page.goto(`${app.url}/#/ronde/${encodeURIComponent(roundId)}`);
    await page.getByRole('button', { name: new RegExp(`^${NAME}\\b`) }).waitFor();
    await page.getByRole('button', { name: 'Start de opening' }).click();
    await page.getByLabel('Notitie', { exact: true }).fill(NOTE);
    await page.getByRole('button', { name: 'Notitie bewaren' }).click();
    await page.getByRole('status').filter({ hasText: 'Notitie bewaard' }).waitFor();
    await page.getByText(NOTE).waitFor();

    const unlockedRaw = await rawDatabase();
    assert.not.ok(unlockedRaw.includes(NOTE), 'even unlocked, the note is sealed at rest');

    await page.goto(`${app.url}/#/vergrendeling`);
    await page.getByRole('button', { name: 'Vergrendel nu' }).click();
    await lockHeading().waitFor();
    assert.not.ok(await page.getByText(NOTE).isVisible(), 'the lock screen shows no note');
    const raw = await rawDatabase();
    assert.ok(raw.includes(roundId), 'the raw read did see the database');
    assert.not.ok(raw.includes(NOTE), 'no note text in IndexedDB');
    assert.not.ok(raw.includes(NAME), 'no participant name in IndexedDB');

    await unlockWith('000000');
    await page.getByText('Deze pincode klopt niet.').waitFor();
    assert.ok(await lockHeading().isVisible(), 'a wrong PIN leaves the app locked');

    const t0 = Date.now();
    await unlockWith(PIN);
    await page.getByRole('heading', { name: 'App-vergrendeling' }).waitFor();
    const unlockMs = Date.now() - t0;
    await page.goto(`${app.url}/#/ronde/${encodeURIComponent(roundId)}`);
    await page.getByText(NOTE).waitFor();

    await page.reload();
    await lockHeading().waitFor();
    await unlockWith(PIN);
    await page.getByText(NOTE).waitFor();

    // PIN forgotten: nothing here was ever synced, so the screen says what is lost before wiping.
    await page.goto(`${app.url}/#/vergrendeling`);
    await page.getByRole('button', { name: 'Vergrendel nu' }).click();
    await page.getByRole('button', { name: 'Pincode vergeten?' }).click();
    await page.getByText(/wijzigingen staan alleen op deze telefoon/).waitFor();
    await page.getByRole('button', { name: 'Wis de gegevens op deze telefoon' }).click();
    await page.getByRole('heading', { name: 'Synchronisatie' }).waitFor();
    assert.not.ok(await lockHeading().isVisible(), 'a wiped phone has no lock');
    assert.not.ok((await rawDatabase()).includes(roundId), 'the local data is gone');
    console.log(`  PIN set (PBKDF2 600k + sealing): ${setMs} ms; unlock: ${unlockMs} ms`);
  } catch (e) {
    await screenshot(page, 'app-lock-failure');
    throw e;
  }
});

test('a second tab: it opens locked once a PIN is set, and "Vergrendel nu" in one tab locks the other at once', async () => {
  const ctx = await phoneContext(browser);
  const a = await ctx.newPage();
  const b = await ctx.newPage();
  const unlock = async (p: Page) => {
    await unlockWith(PIN, p);
    await lockHeading(p).waitFor({ state: 'hidden' });
  };
  try {
    await a.goto(app.url + '/');
    const { groupId } = await seedGroup(a, { names: [NAME, 'Bram'] });
    await a.goto(`${app.url}/#/sync`);
    await a.getByRole('link', { name: 'App-vergrendeling instellen' }).click();
    await a.getByLabel('Nieuwe pincode (6 tot 8 cijfers)').fill(PIN);
    await a.getByLabel('Herhaal de pincode').fill(PIN);
    await a.getByRole('button', { name: 'Pincode instellen' }).click();
    await a.getByRole('button', { name: 'Vergrendel nu' }).waitFor({ timeout: 20_000 });

    await b.goto(`${app.url}/#/groep/${groupId}`);
    await lockHeading(b).waitFor();
    await unlock(b);
    await b.getByRole('button', { name: 'Start de ronde van vandaag' }).waitFor();

    // Tab A locks: tab B drops its key too and hides the group behind its own lock screen.
    await a.getByRole('button', { name: 'Vergrendel nu' }).click();
    await lockHeading(a).waitFor();
    await lockHeading(b).waitFor({ timeout: 5000 });
    assert.not.ok(await b.getByRole('button', { name: 'Start de ronde van vandaag' }).isVisible(), 'nothing of the group shows in tab B');
    await unlock(b);
    await b.getByRole('button', { name: 'Start de ronde van vandaag' }).waitFor();
  } catch (e) {
    await screenshot(b, 'app-lock-tabs-failure');
    throw e;
  } finally {
    await ctx.close();
  }
});

test('a passkey (WebAuthn PRF, virtual authenticator) unlocks instead of the PIN, also after a reload', async () => {
  const ctx = await phoneContext(browser);
  const p = await ctx.newPage();
  try {
    // WebAuthn refuses an IP address as relying party; localhost is a name and a secure context.
    const url = app.url.replace('127.0.0.1', 'localhost');
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, hasPrf: true, automaticPresenceSimulation: true },
    });
    await p.goto(`${url}/#/vergrendeling`);
    await p.getByLabel('Nieuwe pincode (6 tot 8 cijfers)').fill(PIN);
    await p.getByLabel('Herhaal de pincode').fill(PIN);
    await p.getByRole('button', { name: 'Pincode instellen' }).click();
    await p.locator('#lock-passkey-current').fill(PIN);
    await p.getByRole('button', { name: 'Toegangssleutel toevoegen' }).click();
    await p.getByText('Ontgrendelen met een toegangssleutel staat aan.').waitFor();
    await p.getByRole('button', { name: 'Vergrendel nu' }).click();
    await p.getByRole('button', { name: 'Ontgrendel met toegangssleutel' }).click();
    await p.getByRole('button', { name: 'Vergrendel nu' }).waitFor();
    await p.reload();
    await lockHeading(p).waitFor();
    await p.getByRole('button', { name: 'Ontgrendel met toegangssleutel' }).click();
    await p.getByRole('button', { name: 'Vergrendel nu' }).waitFor();
  } catch (e) {
    await screenshot(p, 'app-lock-passkey-failure');
    throw e;
  } finally {
    await ctx.close();
  }
});

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Which of the byte patterns occur in which files of the directory (read as bytes: LevelDB, SQLite, caches). */
function grepProfile(dir: string, patterns: Record<string, Buffer[]>): string[] {
  const found: string[] = [];
  for (const file of filesUnder(dir)) {
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      continue;
    }
    for (const [what, forms] of Object.entries(patterns)) if (forms.some((b) => data.includes(b))) found.push(`${what} in ${file.slice(dir.length)}`);
  }
  return found;
}

/** A word no other text contains, so a hit means exactly this value (random letters: LevelDB's and IndexedDB's
 * Snappy compression leaves a string without repeats as one literal run). */
const marker = (prefix: string) => prefix + randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 14);
const asBytes = (s: string) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')];

test('after a PIN is set nothing written before it can be read anywhere in the Chromium profile directory', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'lk-profile-'));
  const name = marker('Wil');
  const note = `${marker('Notitie')} over de deurwaarder`;
  const mote = `${marker('Mote')} wie kent dat?`;
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    serviceWorkers: 'allow',
  });
  await ctx.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const p = ctx.pages()[0] ?? (await ctx.newPage());
  let deviceKey: number[] | null = null;
  try {
    await p.goto(app.url + '/');
    const { groupId } = await seedGroup(p, { names: [name, 'Bram'] });
    const roundId = await startTodaysRound(p, groupId);
    await p.goto(`${app.url}/#/ronde/${encodeURIComponent(roundId)}`);
    await p.getByRole('button', { name: new RegExp(`^${name}\\b`) }).click();
    const taps = new Taps();
    await beginSteps(p, taps);
    for (const i of [0, 1]) await doStep(p, taps, i);
    await p.getByLabel('Notitie', { exact: true }).fill(note);
    await p.getByRole('button', { name: 'Notitie bewaren' }).click();
    await p.getByRole('status').filter({ hasText: 'Notitie bewaard' }).waitFor();
    await taps.tap(p.getByRole('button', { name: 'Volgende stap' }), { nav: true });
    const moteField = p.getByLabel('De mote: de vraag waarmee de verbreding begon');
    await moteField.fill(mote);
    await moteField.blur();
    await p.getByRole('status').filter({ hasText: 'Bewaard' }).waitFor();

    // The device key that seals rows while no PIN is set: after the PIN it must be gone from the profile as well.
    deviceKey = await p.evaluate(async () => {
      const res = await (await caches.open('lk-device-key')).match('/__lk/device-key/luisterkring');
      return res ? [...new Uint8Array(await res.arrayBuffer())] : null;
    });
    assert.is(deviceKey?.length, 32, 'rows are sealed under a device key from the first write');
    await p.goto(`${app.url}/#/vergrendeling`);
    await p.getByLabel('Nieuwe pincode (6 tot 8 cijfers)').fill(PIN);
    await p.getByLabel('Herhaal de pincode').fill(PIN);
    await p.getByRole('button', { name: 'Pincode instellen' }).click();
    await p.getByRole('button', { name: 'Vergrendel nu' }).waitFor({ timeout: 20_000 });
    await p.getByRole('button', { name: 'Vergrendel nu' }).click();
    await lockHeading(p).waitFor();
  } catch (e) {
    await screenshot(p, 'app-lock-profile-failure');
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  await ctx.close();
  try {
    const key = Buffer.from(deviceKey!);
    const found = grepProfile(profile, {
      name: asBytes(name),
      note: asBytes(note.split(' ')[0]),
      mote: asBytes(mote.split(' ')[0]),
      'device key': [key, ...asBytes(key.toString('hex')), ...asBytes(key.toString('base64'))],
    });
    assert.equal(found, [], `readable in the profile:\n${found.join('\n')}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test.run();
