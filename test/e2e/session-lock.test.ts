// Issue 10 items 2 and 14 in real Chromium: a locked app's stored credentials open nothing on the server, and a
// logout made offline hides the group's data until the next login.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { firstPassword, launchBrowser, logIn, openControlled, phoneContext, screenshot, seedGroup, startApp, syncViaUi, type AppServer } from '../../test-setup/browser';

const test = suite('session and lock');
let app: AppServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const PIN = '135792';
const NAME = 'Gerritdina';

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

/** A sync request from the page itself, with the browser's cookie but no session key: what a script or someone
 * holding the phone could send while the app is locked. */
const pageSync = (p: Page) =>
  p.evaluate(async () => {
    const res = await fetch('/api/sync', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-lk': '1' },
      body: JSON.stringify({ deviceId: 'aanvaller', cursor: '0', changes: [] }),
    });
    return res.status;
  });

test('locked, the session cookie (from the page or the cookie file) opens nothing; unlocked the app syncs', async () => {
  try {
    await openControlled(page, app.url);
    await page.goto(`${app.url}/#/sync`);
    await logIn(page, 'coordinator', firstPassword(app));
    await seedGroup(page, { names: [NAME, 'Bram'] });
    await syncViaUi(page);

    await page.getByRole('link', { name: 'App-vergrendeling instellen' }).click();
    await page.getByLabel('Nieuwe pincode (6 tot 8 cijfers)').fill(PIN);
    await page.getByLabel('Herhaal de pincode').fill(PIN);
    await page.getByRole('button', { name: 'Pincode instellen' }).click();
    await page.getByRole('button', { name: 'Vergrendel nu' }).click({ timeout: 20_000 });
    await page.getByRole('heading', { name: 'Luisterkring is vergrendeld' }).waitFor();

    assert.is(await pageSync(page), 401, 'the page, locked, gets nothing with the cookie');
    const cookie = (await context.cookies()).find((c) => c.name === 'lk_session');
    assert.ok(cookie, 'the browser still holds the session cookie');
    const fromFile = await fetch(`${app.url}/api/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lk': '1', cookie: `lk_session=${cookie!.value}` },
      body: JSON.stringify({ deviceId: 'aanvaller', cursor: '0', changes: [] }),
    });
    assert.is(fromFile.status, 401, 'the cookie copied out of the profile opens nothing');
    assert.not.match(await fromFile.text(), new RegExp(NAME));

    for (const digit of PIN) await page.getByRole('button', { name: digit, exact: true }).click();
    await page.getByRole('button', { name: 'Ontgrendel' }).click();
    await page.getByRole('heading', { name: 'App-vergrendeling' }).waitFor();
    await syncViaUi(page);
  } catch (e) {
    console.error('screenshot:', await screenshot(page, 'session-lock'));
    throw e;
  }
});

test('logging out offline works, keeps the waiting change, and shows no group data until the next login', async () => {
  try {
    await seedGroup(page, { names: ['Wachtende'] });
    await context.setOffline(true);
    await page.goto(`${app.url}/#/sync`);
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.getByRole('button', { name: 'Ja, uitloggen' }).click();
    await page.getByRole('button', { name: 'Inloggen' }).waitFor();
    assert.not.ok(await page.getByText('Uitloggen is niet gelukt').isVisible());
    assert.ok(await page.getByText(/wijzigingen wachten op verzending|1 wijziging wacht/).isVisible(), 'the waiting changes stay');

    for (const hash of ['#/', '#/beheer', '#/rapport']) {
      await page.goto(`${app.url}/${hash}`);
      await page.getByRole('heading', { name: 'Je bent uitgelogd' }).waitFor();
      const text = await page.locator('body').innerText();
      assert.not.ok(text.includes(NAME), `no participant name on ${hash}`);
    }
    await page.reload();
    await page.getByRole('heading', { name: 'Luisterkring is vergrendeld' }).waitFor();
    for (const digit of PIN) await page.getByRole('button', { name: digit, exact: true }).click();
    await page.getByRole('button', { name: 'Ontgrendel' }).click();
    await page.getByRole('heading', { name: 'Je bent uitgelogd' }).waitFor();
    assert.not.ok((await page.locator('body').innerText()).includes(NAME), 'unlocking alone does not bring the data back');

    await context.setOffline(false);
    await page.getByRole('link', { name: 'Inloggen', exact: true }).click();
    await logIn(page, 'coordinator', `${firstPassword(app)}-eigen`);
    await syncViaUi(page);
    await page.goto(`${app.url}/#/`);
    await page.getByText(/Groep/).first().waitFor();
    assert.not.ok(await page.getByRole('heading', { name: 'Je bent uitgelogd' }).isVisible());
  } catch (e) {
    console.error('screenshot:', await screenshot(page, 'session-logout'));
    throw e;
  }
});

test.run();
