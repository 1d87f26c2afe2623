// Bench (a): the JavaScript a phone downloads to open a round, gzipped at level 9 (budget 60 KB).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, phoneContext, seedGroup, startTodaysRound } from '../test-setup/browser';
import type { BenchContext, BenchResult } from './run';

/** Opens #/ronde/<id> cold in a fresh phone context and sums every script the page loaded, measured from dist/. */
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
    // Not 'networkidle': the sync engine may keep talking to /api. Lazy chunks requested after the first render land within this.
    await page.waitForTimeout(1000);
    const paths = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname)
        .filter((p) => p.endsWith('.js') && p !== '/sw.js'),
    );
    const files = [...new Set(paths)];
    if (files.length === 0) throw new Error('geen scripts geladen');
    const sizes = files.map((p) => ({ p, gz: gzipSync(readFileSync(join(ROOT, 'dist', p)), { level: 9 }).length }));
    const total = sizes.reduce((a, s) => a + s.gz, 0);
    return {
      name: 'JS to open a round (gzip -9)',
      value: Math.round((total / 1024) * 10) / 10,
      unit: 'KB',
      budget: 60,
      note: sizes.map((s) => `${s.p.replace('/assets/', '')} ${(s.gz / 1024).toFixed(1)}`).join(', '),
    };
  } finally {
    await context.close();
  }
}
