// WCAG 2.1 A and AA in real Chromium: axe-core finds no violation on any screen state, light and dark, at 360 and 1280 px.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import AxeBuilder from '@axe-core/playwright';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { firstPassword, launchBrowser, ownPasswordFor, recordStepAt, screenshot, seedGroup, startApp, startTodaysRound, type AppServer } from '../../test-setup/browser';

const test = suite('accessibility (axe-core)');
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

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PIN = '135790';
/** Phone first, then desktop; within a width both themes, so the viewport changes only once per state. */
const VARIANTS = [
  { width: 360, height: 740, scheme: 'light' },
  { width: 360, height: 740, scheme: 'dark' },
  { width: 1280, height: 800, scheme: 'dark' },
  { width: 1280, height: 800, scheme: 'light' },
] as const;

/** Loads a hash route and waits until its screen has drawn its heading and settled (lazy chunks, live queries). */
async function visit(page: Page, hash: string, heading?: string | RegExp): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await (heading ? page.getByRole('heading', { name: heading }).first() : page.locator('#app h1').first()).waitFor();
  await page.waitForTimeout(150);
}

const button = (page: Page, name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });

/** The Playwright integration, with axe-core's 0.6 MB source sent only once per document (hash routes keep the document):
 * parsing it again for every run would take most of the time. Legacy mode runs axe in the page itself: the app has no
 * iframes, and the default mode opens a page per run. */
async function axeBuilder(page: Page): Promise<AxeBuilder> {
  const present = await page.evaluate(() => 'axe' in globalThis);
  return new AxeBuilder({ page, axeSource: present ? ';' : axe.source }).setLegacyMode();
}

type Found = { state: string; variant: string; rule: string; impact: string; nodes: string[] };

/** Runs axe on the state the page shows now, in every variant; the app follows the emulated colour scheme live. */
async function check(page: Page, state: string, found: Found[], opts: { print?: boolean } = {}): Promise<void> {
  for (const v of VARIANTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await page.emulateMedia({ colorScheme: v.scheme, media: opts.print ? 'print' : 'screen' });
    await page.waitForFunction((s) => document.documentElement.dataset.theme === s, v.scheme);
    // resultTypes: only violations get every node worked out, which saves time per run. options() replaces all options,
    // so it goes before withTags.
    const result = await (await axeBuilder(page)).options({ resultTypes: ['violations'] }).withTags(TAGS).analyze();
    for (const x of result.violations)
      found.push({ state, variant: `${v.width}px ${v.scheme}`, rule: x.id, impact: x.impact ?? '', nodes: x.nodes.map((n) => n.target.join(' ')) });
  }
  await page.emulateMedia({ media: 'screen' });
}

test('every screen state has no WCAG 2.1 A/AA violation, in light and dark theme, at 360 × 740 and 1280 × 800', async () => {
  // No service worker: nothing here runs offline, and installing one would only compete with axe for the CPU.
  const context: BrowserContext = await browser.newContext({ locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', serviceWorkers: 'block' });
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  const found: Found[] = [];
  const states: string[] = [];
  const at = async (state: string, opts?: { print?: boolean }) => {
    states.push(state);
    await check(page, state, found, opts);
  };
  try {
    assert.is(axe.version, '4.14.1');
    await page.goto(app.url + '/');
    await page.getByRole('heading', { name: 'Groepen' }).waitFor();
    await at('home, no groups');
    if (!(await page.getByLabel('Naam van de groep').isVisible())) await page.getByText('Nieuwe groep', { exact: true }).click();
    await page.getByLabel('Locatie', { exact: true }).selectOption({ label: 'Nieuwe locatie…' });
    await button(page, 'Groep aanmaken').click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    await at('home, new group form with errors');
    await visit(page, '#/sync');
    await at('sync, logged out');

    // A long alias among them: the group page's table must still fit a 360 px phone without scrolling sideways.
    const main = await seedGroup(page, { names: ['Ans', 'Bram', 'Cor', 'Dilara', 'Evert', 'Fenna', 'Alexandrina-Wilhelmina'], pastRounds: { years: 1, everyDays: 14, present: 4 } });
    const roundId = await startTodaysRound(page, main.groupId);
    const timed: Record<'running' | 'paused' | 'over', string> = { running: '', paused: '', over: '' };
    const now = Date.now();
    for (const kind of ['running', 'paused', 'over'] as const) {
      const g = await seedGroup(page, { names: ['Hans', 'Ilse'] });
      timed[kind] = await startTodaysRound(page, g.groupId);
    }
    await recordStepAt(page, timed.running, [{ step: 'opening', kind: 'start', at: now - 60_000 }]);
    await recordStepAt(page, timed.paused, [
      { step: 'opening', kind: 'start', at: now - 10 * 60_000 },
      { step: 'opening', kind: 'stop', at: now - 5 * 60_000 },
    ]);
    await recordStepAt(page, timed.over, [{ step: 'opening', kind: 'start', at: now - 3 * 3_600_000 }]);
    await page.evaluate(addThemesToPastRounds);
    // Seeded rows reach the screens after a reload (they came from another Dexie instance).
    await page.reload();
    await visit(page, '#/', 'Groepen');
    await at('home, with groups and running rounds');
    await visit(page, `#/groep/${main.groupId}`, 'Luistergroep De Linde');
    await at('group page');

    await visit(page, `#/ronde/${roundId}`, 'Aanwezigheid');
    await page.getByRole('button', { name: /^Ans\b/ }).click();
    await page.getByText('1 aanwezig').waitFor();
    await at('attendance');
    await button(page, 'Nieuwe deelnemer').click();
    await button(page, 'Toevoegen en aanwezig').click();
    await page.getByRole('alert').first().waitFor();
    await at('attendance, newcomer form with an error');
    await button(page, 'Annuleren').click();
    await button(page, 'Start de opening').click();
    const steps = ['Opening', 'Verhaalkeuze', 'Verdieping', 'Verbreding', 'Afsluiting'];
    for (const [i, title] of steps.entries()) {
      await page.getByRole('heading', { name: title, exact: true }).waitFor();
      await page.waitForTimeout(150);
      await at(`step ${i + 1}: ${title}`);
      if (i === 0) {
        await button(page, 'Spelregels').click();
        await page.getByRole('dialog').waitFor();
        await at('rules card open');
        await page.keyboard.press('Escape');
      }
      if (i === 1) {
        await page.getByRole('button', { name: /^eenzaamheid: één keer meer genoemd/ }).click();
        await page.getByRole('radio', { name: 'eenzaamheid' }).click();
        await at('round form: themes raised and chosen');
      }
      if (i === 3) {
        await page.getByLabel('De mote: de vraag waarmee de verbreding begon').fill('x'.repeat(320));
        await page.getByRole('checkbox', { name: 'erover praten' }).click();
        await at('round form: mote too long, strategy ticked');
        await page.getByLabel('De mote: de vraag waarmee de verbreding begon').fill('Wie kent dat?');
      }
      await page.waitForTimeout(350);
      await button(page, i < steps.length - 1 ? 'Volgende stap' : 'Naar de evaluatie').click();
    }
    await page.getByRole('heading', { name: 'Evaluatie' }).waitFor();
    await at('evaluation');
    await button(page, 'Ronde afsluiten').click();
    await page.getByRole('heading', { name: /Samenvatting/ }).first().waitFor();
    await at('summary');

    const shows = { running: button(page, 'Pauze'), paused: button(page, /^Hervat /), over: page.getByText('over tijd').first() };
    for (const kind of ['running', 'paused', 'over'] as const) {
      await visit(page, `#/ronde/${timed[kind]}/timer`, 'Timer');
      await shows[kind].waitFor();
      await at(`timer, ${kind}`);
    }

    await visit(page, '#/sync');
    await page.getByLabel('Gebruikersnaam').fill('coordinator');
    await page.getByLabel('Wachtwoord', { exact: true }).fill(firstPassword(app));
    await button(page, 'Inloggen').click();
    await page.getByRole('heading', { name: 'Kies je eigen wachtwoord' }).waitFor();
    await at('sync, one-time code: choose an own password');
    const own = ownPasswordFor(firstPassword(app));
    await page.getByLabel('Eenmalige code', { exact: true }).fill(firstPassword(app));
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(own);
    await page.getByLabel('Herhaal het nieuwe wachtwoord', { exact: true }).fill(own);
    await button(page, 'Wachtwoord opslaan').click();
    await page.getByRole('heading', { name: 'Kies je eigen wachtwoord' }).waitFor({ state: 'detached' });
    await page.getByText('Ingelogd als coordinator').waitFor();
    await page.waitForTimeout(300);
    await at('sync, logged in');

    for (const [hash, name] of [
      ['#/beheer', 'Beheer'],
      ['#/beheer/locaties', undefined],
      ['#/beheer/groepen', undefined],
      [`#/beheer/groepen/${main.groupId}`, undefined],
      ['#/beheer/categorieen', undefined],
      ['#/beheer/deelnemers', undefined],
      [`#/beheer/deelnemers/${main.groupId}`, undefined],
      ['#/beheer/agenda', undefined],
      [`#/beheer/agenda/${main.groupId}`, undefined],
      ['#/beheer/verhalen', undefined],
      ['#/beheer/logboek', undefined],
    ] as const) {
      await visit(page, hash, name);
      await page.waitForTimeout(200);
      await at(`beheer ${hash.replace('#/beheer', '') || '(menu)'}`.replace(main.groupId, '<groep>'));
    }

    await visit(page, '#/rapport');
    await page.locator('.count-bar').first().waitFor();
    await at('report');
    await at('report, print view', { print: true });
    // Hidden content escapes axe: the printed report must show its figures, also after Beheer's CSS has loaded.
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() =>
      [...document.querySelectorAll('#report-title, .report table')].filter((e) => getComputedStyle(e).visibility === 'visible').length,
    );
    await page.emulateMedia({ media: 'screen' });
    assert.ok(printed >= 2, `the print view shows the report's title and tables (${printed} visible)`);

    await visit(page, '#/vergrendeling');
    await at('app lock, no PIN yet');
    await page.getByLabel('Nieuwe pincode (6 tot 8 cijfers)').fill(PIN);
    await page.getByLabel('Herhaal de pincode').fill(PIN);
    await button(page, 'Pincode instellen').click();
    await button(page, 'Vergrendel nu').waitFor({ timeout: 20_000 });
    await at('app lock, PIN set');
    await button(page, 'Vergrendel nu').click();
    await page.getByRole('heading', { name: 'Luisterkring is vergrendeld' }).waitFor();
    await at('lock screen');
    await button(page, '1').click();
    await button(page, 'Ontgrendel').click();
    await page.getByText('Deze pincode klopt niet.').waitFor();
    await at('lock screen, wrong PIN');
    await button(page, 'Pincode vergeten?').click();
    await button(page, 'Wis de gegevens op deze telefoon').waitFor();
    await at('lock screen, PIN forgotten');

    const lines = found.map((f) => `${f.state} @ ${f.variant}: ${f.rule} (${f.impact}) ${f.nodes.join(' | ')}`);
    assert.equal(lines, [], `${states.length} states × ${VARIANTS.length} variants`);
    assert.ok(states.length >= 40, `${states.length} screen states checked`);
  } catch (e) {
    await screenshot(page, 'a11y-axe');
    throw e;
  } finally {
    await context.close();
  }
});

/** Runs in the page: themes on the seeded past rounds, so the report draws its bars and tables. */
function addThemesToPastRounds() {
  return new Promise<void>((ok, fail) => {
    const req = indexedDB.open('luisterkring');
    req.onerror = () => fail(req.error);
    req.onsuccess = () => {
      const tx = req.result.transaction('rounds', 'readwrite');
      const store = tx.objectStore('rounds');
      const all = store.getAll();
      all.onsuccess = () => {
        for (const r of all.result as { status: string; themesRaised: Record<string, number> }[])
          if (r.status === 'afgerond') store.put({ ...r, themesRaised: { wonen: 2, werk: 1 } });
      };
      tx.oncomplete = () => {
        req.result.close();
        ok();
      };
      tx.onerror = () => fail(tx.error);
    };
  });
}

test.run();
