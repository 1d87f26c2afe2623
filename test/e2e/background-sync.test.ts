// Background Sync in real Chromium: with no app page open, the service worker's 'lk-sync' event pushes the outbox.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { firstPassword, idbAll, launchBrowser, openControlled, ownPasswordFor, phoneContext, seedGroup, startApp } from '../../test-setup/browser';
import { ApiClient } from '../../test-setup/server-process';

test('the service worker pushes changes made offline when the sync event fires, without the app open', async () => {
  const app = await startApp();
  const browser = await launchBrowser();
  try {
    // The first-start code opens only the password change: choose the own password first, from Node.
    await new ApiClient(app.url).login('coordinator', firstPassword(app));
    const password = ownPasswordFor(firstPassword(app));
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await openControlled(page, app.url);
    const login = await page.evaluate(
      (pw) => fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-lk': '1' }, body: JSON.stringify({ username: 'coordinator', password: pw }) }).then((r) => r.status),
      password,
    );
    assert.is(login, 200);

    await context.setOffline(true);
    await seedGroup(page, { names: ['Amina', 'Bas', 'Chantal'] });
    const queued = (await idbAll(page, 'outbox')).length;
    assert.ok(queued >= 5, `${queued} changes queued offline`);

    // Leave the app before the network returns, so its own 'online' trigger cannot sync; then open a plain
    // /api address: same origin, so IndexedDB is reachable, but no app code runs.
    await page.goto('about:blank');
    await context.setOffline(false);
    await page.goto(app.url + '/api/auth/me');
    assert.is((await idbAll(page, 'outbox')).length, queued, 'nothing was pushed before the sync event');
    const cdp = await context.newCDPSession(page);
    const registration = new Promise<string>((ok) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
        const r = e.registrations.find((x) => x.scopeURL === app.url + '/' && !x.isDeleted);
        if (r) ok(r.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.dispatchSyncEvent', { origin: app.url, registrationId: await registration, tag: 'lk-sync', lastChance: false });

    const until = Date.now() + 20_000;
    let left = queued;
    while (left > 0 && Date.now() < until) {
      await page.waitForTimeout(200);
      left = (await idbAll(page, 'outbox')).length;
    }
    assert.is(left, 0, 'the outbox was emptied by server acknowledgements');

    const pulled = await page.evaluate(() =>
      fetch('/api/sync', { method: 'POST', headers: { 'content-type': 'application/json', 'x-lk': '1' }, body: JSON.stringify({ deviceId: 'dcheck', cursor: '0', changes: [] }) }).then((r) => r.json()),
    );
    const names = (pulled.changes as { table: string; values: { name?: string } }[]).filter((c) => c.table === 'participants').map((c) => c.values.name).sort();
    assert.equal(names, ['Amina', 'Bas', 'Chantal'], 'the server has the participants');
  } finally {
    await browser.close();
    await app.stop();
  }
});

test.run();
