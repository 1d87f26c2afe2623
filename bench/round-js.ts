// Bench (a): the JavaScript the round screens need, gzipped at level 9 (budget 60 KB).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { ROOT, idbAll, phoneContext, seedGroup, startTodaysRound } from '../test-setup/browser';
import type { BenchContext, BenchResult } from './run';

const scripts = (page: Page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname)
      .filter((p) => p.endsWith('.js') && p !== '/sw.js'),
  );

const gz = (p: string) => gzipSync(readFileSync(join(ROOT, 'dist', p)), { level: 9 }).length;
const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
const list = (files: string[]) => files.map((p) => `${p.replace('/assets/', '')} ${kb(gz(p))}`).join(', ');

/** Opens #/ronde/<id> cold in a fresh page and taps one person present. Counted: every script loaded until that tap is
 * stored and shown. Reported beside it, not counted: what loads once start-up is over (the sync engine, workbox-window),
 * which no round screen uses. Sizes are of the files in dist/. */
export async function benchRoundJs(ctx: BenchContext): Promise<BenchResult> {
  const [app, browser] = await Promise.all([ctx.app(), ctx.browser()]);
  const context = await phoneContext(browser);
  try {
    const setup = await context.newPage();
    await setup.goto(app.url + '/');
    const { groupId } = await seedGroup(setup, { names: ['Anna', 'Bram', 'Cor'] });
    const roundId = await startTodaysRound(setup, groupId);
    await setup.close();
    // A new page in the same context: the data is there, the scripts load as on a cold start.
    const page = await context.newPage();
    await page.goto(`${app.url}/#/ronde/${encodeURIComponent(roundId)}`);
    await page.getByRole('heading', { name: 'Aanwezigheid' }).waitFor();
    await page.locator('button[aria-pressed="false"]').first().click();
    await page.locator('button[aria-pressed="true"]').first().waitFor();
    for (let i = 0; i < 50 && !(await idbAll(page, 'attendance')).some((a) => a.roundId === roundId && a.present); i++) await page.waitForTimeout(20);
    const needed = [...new Set(await scripts(page))];
    if (needed.length === 0) throw new Error('geen scripts geladen');
    // Start-up work (service worker, sync) begins 2 s after `load` when the page is idle (src/app/startup.ts).
    await page.waitForTimeout(6000);
    const later = [...new Set(await scripts(page))].filter((p) => !needed.includes(p));
    const total = needed.reduce((a, p) => a + gz(p), 0);
    const laterTotal = later.reduce((a, p) => a + gz(p), 0);
    return {
      name: 'JS the round screens need, open + first tap (gzip -9)',
      value: kb(total),
      unit: 'KB',
      budget: 60,
      note: `${list(needed)}; after start-up, not counted: ${kb(laterTotal)} KB (${list(later) || 'none'})`,
    };
  } finally {
    await context.close();
  }
}
