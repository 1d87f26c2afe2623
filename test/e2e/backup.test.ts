// A phone that cannot sync saves an encrypted backup; the coördinator imports it on another computer and sees the data.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { firstPassword, idbAll, launchBrowser, logIn, openControlled, phoneContext, screenshot, seedGroup, startApp, type AppServer } from '../../test-setup/browser';

const test = suite('backup');
let app: AppServer;
let browser: Browser;
let desk: BrowserContext;
let phone: BrowserContext;
let coord: Page;
let beg: Page;

const PASS = 'linde op woensdag';
const NAMES = ['Amina', 'Bas', 'Chantal'];

test.before(async () => {
  app = await startApp();
  browser = await launchBrowser();
  desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', serviceWorkers: 'allow' });
  await desk.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  phone = await phoneContext(browser);
  coord = await desk.newPage();
  beg = await phone.newPage();
});

test.after(async () => {
  await browser?.close();
  await app?.stop();
});

async function importFile(path: string, passphrase: string): Promise<void> {
  await coord.getByLabel('Back-upbestand (.lkbackup)').setInputFiles(path);
  await coord.getByLabel('Wachtwoordzin van de back-up').fill(passphrase);
  await coord.getByRole('button', { name: 'Openen' }).click();
}

test('an offline phone saves a backup; the coördinator imports it, twice without effect, and the participants appear', async () => {
  let page = beg;
  try {
    // The phone never reaches the server: a group with participants and a year of rounds wait in its outbox.
    await openControlled(beg, app.url);
    await phone.setOffline(true);
    await beg.reload();
    const { groupId } = await seedGroup(beg, { names: NAMES, pastRounds: { years: 1, everyDays: 28, present: 3 } });
    const waiting = (await idbAll(beg, 'outbox')).length;
    assert.ok(waiting > NAMES.length, `changes wait in the outbox: ${waiting}`);

    await beg.goto(`${app.url}/#/sync`);
    await beg.getByRole('button', { name: 'Back-up van wachtende wijzigingen opslaan' }).click();
    await beg.getByLabel('Wachtwoordzin (minstens 8 tekens)').fill(PASS);
    await beg.getByLabel('Herhaal de wachtwoordzin').fill(PASS);
    await beg.getByRole('button', { name: 'Back-up maken' }).click();
    const save = beg.getByRole('link', { name: 'Bestand opslaan' });
    await save.waitFor();
    const [download] = await Promise.all([beg.waitForEvent('download'), save.click()]);
    assert.match(download.suggestedFilename(), /^luisterkring-backup-\d{4}-\d\d-\d\d\.lkbackup$/);
    const file = await download.path();
    const text = readFileSync(file, 'utf8');
    // The ciphertext is base64, which by chance holds any short name ("Bas") now and then; a name in
    // the clear would stand in quotes as a JSON string, and base64 never holds a quote.
    const { ciphertext, salt, iv, check, ...header } = JSON.parse(text) as Record<string, string>;
    for (const b64 of [ciphertext, salt, iv, check]) assert.match(b64, /^[A-Za-z0-9+/]+={0,2}$/);
    for (const name of NAMES) {
      assert.not.ok(text.includes(JSON.stringify(name)), `${name} is not readable in the file`);
      assert.not.ok(JSON.stringify(header).includes(name), `${name} is not in the file's clear header`);
    }
    assert.is(JSON.parse(text).counts.changes, waiting);
    assert.is((await idbAll(beg, 'outbox')).length, waiting, 'saving a backup keeps the outbox');

    // The coördinator, on a desktop with a connection.
    page = coord;
    await coord.goto(app.url + '/');
    await coord.getByRole('link', { name: 'Synchroniseren en inloggen' }).click();
    await logIn(coord, 'coordinator', firstPassword(app));
    await coord.goto(`${app.url}/#/beheer`);
    await coord.getByRole('link', { name: 'Back-up van een telefoon importeren' }).click();
    await coord.getByRole('heading', { name: 'Back-up importeren' }).waitFor();

    await importFile(file, 'linde op dinsdag');
    await coord.getByText('De wachtwoordzin klopt niet. Let op hoofdletters en spaties.').waitFor();
    await coord.getByLabel('Wachtwoordzin van de back-up').fill(PASS);
    await coord.getByRole('button', { name: 'Openen' }).click();
    const perKind = coord.getByRole('list', { name: 'Per soort' });
    await perKind.waitFor();
    assert.match(await perKind.innerText(), new RegExp(`Deelnemers\\s+${NAMES.length}`));
    await coord.getByRole('button', { name: `${waiting} wijzigingen importeren` }).click();
    await coord.getByText(`Klaar: ${waiting} wijzigingen verwerkt.`).waitFor();

    // The coördinator's own sync brings the imported records in: the participants screen lists them.
    await coord.getByText('Alles is bijgewerkt met de server.').waitFor();
    await coord.goto(`${app.url}/#/beheer/deelnemers/${encodeURIComponent(groupId)}`);
    for (const name of NAMES) await coord.getByText(name, { exact: true }).first().waitFor();

    // The same file again: nothing new.
    await coord.goto(`${app.url}/#/sync/import`);
    await importFile(file, PASS);
    await coord.getByRole('button', { name: `${waiting} wijzigingen importeren` }).click();
    await coord.getByText(`${waiting} wijzigingen waren al eerder geïmporteerd.`).waitFor();
    await coord.getByText('Klaar: 0 wijzigingen verwerkt.').waitFor();
  } catch (e) {
    console.error('screenshot:', await screenshot(page, 'backup-failure'));
    throw e;
  }
});

test.run();
