// Printing the report in real Chromium after every other screen ran in the same session: the PDF holds the report's
// text (not a blank page left by another screen's print rule) and the demo organisation's year fits one A4 page.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { firstPassword, launchBrowser, openControlled, ownPasswordFor, phoneContext, screenshot, seedDemo, startApp, startTodaysRound, type AppServer } from '../../test-setup/browser';
import { ApiClient } from '../../test-setup/server-process';

const test = suite('print');
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

async function visit(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.locator('#app h1').first().waitFor();
  await page.waitForTimeout(300);
}

/** The PDF's text and page count, by poppler-utils (installed by .ci/run). */
function readPdf(pdf: Buffer): { text: string; pages: number } {
  const dir = mkdtempSync(join(tmpdir(), 'lk-print-'));
  try {
    const file = join(dir, 'rapport.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    return { text, pages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the report prints its figures on one A4 page after every screen, Beheer included, was opened', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  try {
    await openControlled(page, app.url);
    const year = new Date().getFullYear() - 1;
    const demo = await seedDemo(page, year);
    const roundId = await startTodaysRound(page, demo.groupIds[0]);
    await page.reload();
    await new ApiClient(app.url).login('coordinator', firstPassword(app));
    const login = await page.evaluate(
      async (password) =>
        (await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-lk': '1' }, body: JSON.stringify({ username: 'coordinator', password }) })).status,
      ownPasswordFor(firstPassword(app)),
    );
    assert.is(login, 200);
    for (const hash of [
      '#/',
      `#/groep/${demo.groupIds[0]}`,
      `#/ronde/${roundId}`,
      `#/ronde/${roundId}/timer`,
      '#/sync',
      '#/vergrendeling',
      '#/rapport',
      '#/beheer',
      '#/beheer/locaties',
      '#/beheer/groepen',
      `#/beheer/groepen/${demo.groupIds[0]}`,
      '#/beheer/categorieen',
      '#/beheer/deelnemers',
      '#/beheer/agenda',
      '#/beheer/verhalen',
      '#/beheer/logboek',
    ])
      await visit(page, hash);

    await visit(page, '#/rapport');
    await page.getByLabel('Periode').selectOption('lastYear');
    const held = page.locator('dl').getByText('Rondes gehouden', { exact: true }).locator('xpath=following-sibling::dd[1]');
    await held.getByText('130').waitFor();
    const { text, pages } = readPdf(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    assert.match(text, 'Jaarverslag', 'the report heading is printed');
    assert.match(text, 'Rondes gehouden', 'the key figures are printed');
    assert.match(text, /\b130\b/, 'with the year’s 130 rounds');
    assert.match(text, /Per groep[\s\S]*Dinsdaggroep/, 'and the breakdown per group');
    assert.is(pages, 1, 'the README promises a print view that fits one A4 page');
  } catch (e) {
    await screenshot(page, 'print-report');
    throw e;
  } finally {
    await context.close();
  }
});

test.run();
