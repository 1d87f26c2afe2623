// Bench (a): the JavaScript the round screens need, gzipped at level 9 (budget 60 KB).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { ROOT, idbAll, phoneContext, seedGroup, startTodaysRound } from '../test-setup/browser';
import type { BenchContext, BenchResult } from './run';

interface ManifestChunk {
  file: string;
  name?: string;
  imports?: string[];
}

const gz = (file: string) => gzipSync(readFileSync(join(ROOT, 'dist', file)), { level: 9 }).length;
const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
const sum = (files: Iterable<string>) => [...files].reduce((a, f) => a + gz(f), 0);
const list = (files: Iterable<string>) => [...files].map((f) => `${f.replace('assets/', '')} ${kb(gz(f))}`).join(', ');

/** A chunk and every chunk it imports statically: what must load before its code runs (dist/.vite/manifest.json). */
function closure(manifest: Record<string, ManifestChunk>, keys: string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const c = manifest[key];
    if (!c) throw new Error(`${key} ontbreekt in het manifest`);
    files.add(c.file);
    for (const i of c.imports ?? []) visit(i);
  };
  keys.forEach(visit);
  return files;
}

const loaded = (page: Page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname.slice(1))
      .filter((p) => p.endsWith('.js') && p !== 'sw.js'),
  );

/** Counted: the entry chunk and the round screens' chunk with everything they import statically, and the cipher the
 * database loads as it opens (names and round fields are sealed at rest, so nothing shows before it) — the code that
 * must load before a round can be shown. Reported beside it, from a real cold start into a round in Chromium:
 * the schemas a first write validates with (loaded when the page is idle after the round is shown, or by that write),
 * anything else the page loaded by its first tap, and what loads after start-up (sync engine, workbox-window). */
export async function benchRoundJs(ctx: BenchContext): Promise<BenchResult> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'dist', '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const open = closure(manifest, ['index.html', 'src/app/round/RoundFlow.tsx', 'src/data/crypto.ts']);
  const schemaKey = Object.keys(manifest).find((k) => manifest[k].name === 'schema');
  if (!schemaKey) throw new Error('geen schema-chunk in het manifest');
  const validation = [...closure(manifest, [schemaKey])].filter((f) => !open.has(f));

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
    const byTap = new Set(await loaded(page));
    const missing = [...open].filter((f) => !byTap.has(f));
    const extra = [...byTap].filter((f) => !open.has(f) && !validation.includes(f));
    // Start-up work (service worker, sync) begins 2 s after `load` when the page is idle (src/app/startup.ts).
    await page.waitForTimeout(6000);
    const later = [...new Set(await loaded(page))].filter((f) => !byTap.has(f));
    return {
      name: 'JS the round screens need to open (gzip -9)',
      value: kb(sum(open)),
      unit: 'KB',
      budget: 60,
      note: [
        list(open),
        `validation for the first write, loaded when idle: ${kb(sum(validation))} KB (${list(validation)}); open + first tap = ${kb(sum(open) + sum(validation))} KB`,
        extra.length ? `also loaded by the first tap: ${kb(sum(extra))} KB (${list(extra)})` : '',
        missing.length ? `in the graph but not loaded by the first tap: ${list(missing)}` : '',
        `after start-up, not counted: ${kb(sum(later))} KB (${list(later) || 'none'})`,
      ]
        .filter(Boolean)
        .join('; '),
    };
  } finally {
    await context.close();
  }
}
