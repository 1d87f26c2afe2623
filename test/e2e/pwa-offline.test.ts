// The installed app works without network: the service worker serves the shell and never caches /api.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import { launchBrowser, openControlled, phoneContext, screenshot, startApp, type AppServer } from '../../test-setup/browser';

const test = suite('pwa offline');
let app: AppServer;
let browser: Browser;

test.before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

test.after(async () => {
  await browser?.close();
  await app?.stop();
});

test('after one online visit the app reloads and navigates with the network off', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  try {
    await openControlled(page, app.url);
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('link', { name: 'Luisterkring — naar het begin' }).waitFor();
    // A deep link opened cold (as from a home-screen bookmark) is answered by the cached shell too.
    await page.goto(app.url + '/some/deep/path#/');
    await page.getByRole('link', { name: 'Luisterkring — naar het begin' }).waitFor();
  } catch (e) {
    await screenshot(page, 'pwa-offline');
    throw e;
  } finally {
    await context.close();
  }
});

test('the service worker is installed only after start-up, not while the first screen is drawn', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(app.url + '/');
    await page.getByRole('link', { name: 'Luisterkring — naar het begin' }).waitFor();
    const early = await page.evaluate(async () => ({
      sinceLoad: (() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return nav.loadEventEnd ? performance.now() - nav.loadEventEnd : 0;
      })(),
      registered: !!(await navigator.serviceWorker.getRegistration()),
      syncLoaded: performance.getEntriesByType('resource').some((e) => /\/triggers-[^/]+\.js$/.test(e.name)),
    }));
    // Start-up work waits 2 s after `load` (src/app/startup.ts); a machine too slow to draw the screen within 1.5 s skips this part.
    if (early.sinceLoad < 1500) {
      assert.not.ok(early.registered, 'no worker registered while the first screen is drawn');
      assert.not.ok(early.syncLoaded, 'the sync engine is not loaded while the first screen is drawn');
    }
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\/triggers-[^/]+\.js$/.test(e.name)));
  } catch (e) {
    await screenshot(page, 'pwa-after-startup');
    throw e;
  } finally {
    await context.close();
  }
});

test('offline, /api requests fail instead of being answered from a cache', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  try {
    await openControlled(page, app.url);
    await context.setOffline(true);
    const outcome = await page.evaluate(async () => {
      try {
        const r = await fetch('/api/sync', { method: 'POST', body: '{}' });
        return `status ${r.status}`;
      } catch {
        return 'network error';
      }
    });
    assert.is(outcome, 'network error');
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
      return urls;
    });
    assert.ok(cached.includes('/index.html'), 'the shell is precached');
    assert.not.ok(cached.some((u) => u.startsWith('/api')), 'nothing under /api is cached');
  } finally {
    await context.close();
  }
});

test('the web app manifest names the app in Dutch, standalone, with installable icons', async () => {
  const res = await fetch(app.url + '/manifest.webmanifest');
  const m = (await res.json()) as { name: string; lang: string; display: string; start_url: string; icons: { sizes: string; purpose?: string }[] };
  assert.is(m.name, 'Luisterkring');
  assert.is(m.lang, 'nl');
  assert.is(m.display, 'standalone');
  assert.is(m.start_url, '/');
  for (const want of ['192x192', '512x512']) assert.ok(m.icons.some((i) => i.sizes === want && !i.purpose), want);
  assert.ok(m.icons.some((i) => i.purpose === 'maskable'));
  for (const icon of ['/icon-192.png', '/icon-512.png', '/icon-maskable-512.png', '/apple-touch-icon.png', '/icon.svg']) {
    const r = await fetch(app.url + icon);
    assert.is(r.status, 200, icon);
  }
});

test.run();
