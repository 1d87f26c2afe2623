// The Content-Security-Policy in real Chromium: the built app runs every main screen without one violation (and within a 360 px phone's width), and injected inline script never runs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { firstPassword, idbAll, ownPasswordFor, launchBrowser, openControlled, phoneContext, screenshot, seedGroup, startApp, startTodaysRound, type AppServer } from '../../test-setup/browser';
import { ApiClient } from '../../test-setup/server-process';
import { APP_CSP } from '../../src/server/headers';

const test = suite('content security policy');
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

/** Every violation the page reports, kept on window so it can be read after the fact (a new document starts over). */
const COLLECT = `window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));`;

type Violation = { directive: string; blocked: string; sample: string };

async function open(): Promise<{ context: BrowserContext; page: Page; messages: string[] }> {
  const context = await phoneContext(browser);
  await context.addInitScript({ content: COLLECT });
  const page = await context.newPage();
  const messages: string[] = [];
  // Chromium also reports each violation on the console; this survives reloads.
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) messages.push(m.text());
  });
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  return { context, page, messages };
}

const violations = (page: Page) => page.evaluate(() => (globalThis as unknown as { __csp: Violation[] }).__csp);

/** Loads a hash route and waits until its screen has rendered a heading. */
async function visit(page: Page, hash: string): Promise<string> {
  await page.evaluate((h) => (location.hash = h), hash);
  const heading = page.locator('#app h1').first();
  await heading.waitFor();
  // Lazy chunks, live queries and the sync badge settle; a violation from any of them must be caught too.
  await page.waitForTimeout(300);
  return (await heading.textContent()) ?? '';
}


test('the page and its assets are served with the strict CSP', async () => {
  const res = await fetch(app.url + '/');
  assert.is(res.headers.get('content-security-policy'), APP_CSP);
  const html = await res.text();
  assert.not.match(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'the built page has no inline script');
  assert.not.match(html, /<style|\sstyle=/, 'the built page has no inline style');
  assert.not.match(html, /\son[a-z]+=/, 'the built page has no inline event handler');
});

test('home, group, round, timer, sync, app lock, report and every Beheer section (with the log) run without a single CSP violation, and none is wider than a 360 px phone', async () => {
  const { context, page, messages } = await open();
  try {
    await openControlled(page, app.url);
    const seeded = await seedGroup(page, { names: ['Ans', 'Bram', 'Cor'], pastRounds: { years: 1, everyDays: 14, present: 2 } });
    const roundId = await startTodaysRound(page, seeded.groupId);
    // Themes on the past rounds, so the report draws its bars (their width is set through Preact's style prop).
    await page.evaluate(
      () =>
        new Promise<void>((ok, fail) => {
          const req = indexedDB.open('luisterkring');
          req.onerror = () => fail(req.error);
          req.onsuccess = () => {
            const tx = req.result.transaction('rounds', 'readwrite');
            const store = tx.objectStore('rounds');
            const all = store.getAll();
            all.onsuccess = () => {
              for (const r of all.result as { themesRaised: Record<string, number> }[]) store.put({ ...r, themesRaised: { wonen: 2, werk: 1 } });
            };
            tx.oncomplete = () => {
              req.result.close();
              ok();
            };
            tx.onerror = () => fail(tx.error);
          };
        }),
    );
    assert.ok((await idbAll(page, 'rounds')).length > 10);
    // Seeded rows reach the screens after a reload (they came from another Dexie instance).
    await page.reload();
    // The first-start code opens nothing but the password change: choose an own password first, from Node.
    await new ApiClient(app.url).login('coordinator', firstPassword(app));
    const ownPassword = ownPasswordFor(firstPassword(app));
    const login = await page.evaluate(
      async (password) =>
        (await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-lk': '1' }, body: JSON.stringify({ username: 'coordinator', password }) })).status,
      ownPassword,
    );
    assert.is(login, 200);

    const seen: string[] = [];
    const wide: string[] = [];
    for (const hash of [
      '#/',
      `#/groep/${seeded.groupId}`,
      `#/ronde/${roundId}`,
      `#/ronde/${roundId}/timer`,
      '#/sync',
      '#/vergrendeling',
      '#/rapport',
      '#/beheer',
      '#/beheer/locaties',
      '#/beheer/groepen',
      `#/beheer/groepen/${seeded.groupId}`,
      '#/beheer/categorieen',
      '#/beheer/deelnemers',
      `#/beheer/deelnemers/${seeded.groupId}`,
      '#/beheer/agenda',
      '#/beheer/verhalen',
      '#/beheer/logboek',
    ]) {
      seen.push(`${hash} → ${await visit(page, hash)}`);
      // One-handed on a 360 px phone: no screen (nor the top bar with its sync badge) may scroll sideways.
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 360) wide.push(`${hash}: ${width} px`);
    }
    assert.equal(wide, [], 'every screen fits a 360 px wide phone');
    await page.getByRole('list', { name: 'Logboek' }).waitFor();
    assert.ok(await page.getByText('Ingelogd').first().isVisible(), 'the log shows the login over the network');

    await visit(page, '#/rapport');
    const bars = await page.locator('.count-bar').evaluateAll((els) => els.map((e) => (e as HTMLElement).style.width));
    assert.ok(bars.length > 0, 'the report draws bars');
    assert.ok(
      bars.every((w) => /^\d+(\.\d+)?%$/.test(w)),
      `style props set through the CSSOM are not blocked by style-src 'self': ${bars.join(', ')}`,
    );

    assert.equal(await violations(page), [], seen.join('\n'));
    assert.equal(messages, [], 'no CSP message or page error on the console');
  } catch (e) {
    await screenshot(page, 'csp-screens');
    throw e;
  } finally {
    await context.close();
  }
});

/** Runs in the page: tries three kinds of injected script and reports which ran. */
function injectScripts() {
  return (async () => {
    const w = globalThis as unknown as Record<string, unknown>;
    // 1. A script element with inline text, as an XSS through createElement would add.
    const s = document.createElement('script');
    s.text = 'window.__pwned = 1';
    document.body.appendChild(s);
    // 2. Markup through innerHTML: a script tag (never runs via innerHTML) and an inline event handler.
    const box = document.createElement('div');
    box.innerHTML = '<script>window.__pwned = 2<\/script><button id="lk-evil" onclick="window.__pwned2 = 1">x</button>';
    document.body.appendChild(box);
    (document.getElementById('lk-evil') as HTMLButtonElement).click();
    // 3. A javascript: URL.
    const a = document.createElement('a');
    a.href = 'javascript:window.__pwned3=1';
    document.body.appendChild(a);
    a.click();
    await new Promise((ok) => setTimeout(ok, 300));
    box.remove();
    s.remove();
    a.remove();
    return { pwned: w.__pwned, pwned2: w.__pwned2, pwned3: w.__pwned3 };
  })();
}

async function assertBlocked(page: Page, what: string) {
  const before = (await violations(page)).length;
  const ran = await page.evaluate(injectScripts);
  assert.equal(ran, { pwned: undefined, pwned2: undefined, pwned3: undefined }, `${what}: no injected script ran`);
  const reported = (await violations(page)).slice(before);
  const directives = reported.map((v) => v.directive);
  assert.ok(directives.includes('script-src-elem'), `${what}: the inline <script> is reported (${directives.join(', ')})`);
  assert.ok(directives.filter((d) => d === 'script-src-attr').length >= 1, `${what}: the inline handler is reported`);
  assert.ok(reported.every((v) => v.blocked === 'inline'), `${what}: only inline script was involved`);
}

test('injected inline script, inline handlers and javascript: URLs are blocked and reported, online and from the offline cache', async () => {
  const { context, page } = await open();
  try {
    await openControlled(page, app.url);
    await assertBlocked(page, 'online');
    // Served by the service worker from its precache: the stored page keeps its CSP header.
    await context.setOffline(true);
    await page.reload();
    await page.locator('#app h1').first().waitFor();
    await assertBlocked(page, 'offline');
  } catch (e) {
    await screenshot(page, 'csp-injection');
    throw e;
  } finally {
    await context.close();
  }
});

test.run();
