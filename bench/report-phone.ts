// Benchmark: the annual report on "the phone" — real Chromium at a 360×740 phone viewport with the CPU slowed 4× over
// CDP — over 10 years of a 30-group organisation stored in the app's own IndexedDB (DESIGN §6 budget < 100 ms).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, phoneContext } from '../test-setup/browser';
import type { BenchContext, BenchResult } from './run';
import { GROUPS, YEARS, median } from './report-data';
import { loadNote } from './report';

const BUDGET = 100;
const CPU_SLOWDOWN = 4;
const round1 = (n: number) => Math.round(n * 10) / 10;

type PageApi = {
  fill(): Promise<number>;
  once(): Promise<{ read: number; compute: number }>;
  computeOnly(runs: number, warmups: number): Promise<number[]>;
};

async function pageSource(): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [join(ROOT, 'bench', 'report-page.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

/** Leaves for the sync screen, then opens the report screen and times it inside the page until a key figure exists. */
async function openReportScreen(page: Page): Promise<number> {
  await page.goto(`${new URL(page.url()).origin}/#/sync`);
  await page.getByRole('heading', { name: 'Synchronisatie' }).waitFor();
  return page.evaluate(
    () =>
      new Promise<number>((ok) => {
        const t0 = performance.now();
        const done = () => document.querySelector('.figure-value') !== null;
        const mo = new MutationObserver(() => {
          if (!done()) return;
          mo.disconnect();
          ok(performance.now() - t0);
        });
        mo.observe(document.body, { subtree: true, childList: true });
        location.hash = '#/rapport';
      }),
  );
}

export async function benchReportPhone(ctx: BenchContext): Promise<BenchResult[]> {
  const [app, browser, source] = await Promise.all([ctx.app(), ctx.browser(), pageSource()]);
  const context = await phoneContext(browser);
  try {
    const page = await context.newPage();
    // The sync screen: the app is running on its own database, but no screen re-queries the tables being filled.
    await page.goto(`${app.url}/#/sync`);
    await page.getByRole('heading', { name: 'Synchronisatie' }).waitFor();
    // Evaluated rather than added as a <script>: the server's CSP refuses inline scripts.
    await page.evaluate(source);
    const api = 'globalThis.lkReportBench';
    const records = await page.evaluate(`${api}.fill()`) as Awaited<ReturnType<PageApi['fill']>>;

    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    // The first report after loading: cold JIT, as when the coördinator opens the screen.
    const first = (await page.evaluate(`${api}.once()`)) as Awaited<ReturnType<PageApi['once']>>;
    const opens: { read: number; compute: number }[] = [];
    for (let i = 0; i < 7; i++) opens.push((await page.evaluate(`${api}.once()`)) as Awaited<ReturnType<PageApi['once']>>);
    const compute = (await page.evaluate(`${api}.computeOnly(15, 3)`)) as number[];
    // The real screen: from the route change to the key figures in the DOM (its own read, compute and render).
    const screens: number[] = [];
    for (let i = 0; i < 6; i++) screens.push(await openReportScreen(page));
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

    const where = `${YEARS} years × ${GROUPS} groups, phone (Chromium, ${CPU_SLOWDOWN}× CPU slowdown)`;
    const read = opens.map((o) => o.read);
    const open = opens.map((o) => o.read + o.compute);
    return [
      {
        name: `report over ${where}: compute`,
        value: round1(median(compute)),
        unit: 'ms',
        budget: BUDGET,
        note: `median of 15 after 3 warm-ups, range ${round1(Math.min(...compute))}–${round1(Math.max(...compute))} ms; first compute after opening (cold JIT) ${round1(first.compute)} ms${loadNote()}`,
      },
      {
        name: `report over ${where}: IndexedDB read + compute (opening the screen)`,
        value: round1(median(open)),
        unit: 'ms',
        budget: BUDGET,
        note: `median of 7 over ${records} records in the app's IndexedDB: read ${round1(median(read))} ms (Dexie toArray of 8 tables); first open ${round1(first.read + first.compute)} ms${loadNote()}`,
      },
      {
        name: `report over ${where}: #/rapport opened until its figures are shown`,
        value: round1(median(screens.slice(1))),
        unit: 'ms',
        budget: BUDGET,
        note: `median of 5 openings (period "Dit jaar", all rows read); the first, which also loads the screen's code: ${round1(screens[0])} ms${loadNote()}`,
      },
    ];
  } finally {
    await context.close();
  }
}
