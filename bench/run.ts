// npm run bench: measures the budgets of docs/design.md §6 and prints each figure with its ratio to the budget.
// It is not a test: a figure over budget is reported, not failed, and the run always exits 0.
import { spawnSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { ROOT, launchBrowser, startApp, type AppServer } from '../test-setup/browser';
import { benchReportNode } from './report';
import { benchReportPhone } from './report-phone';
import { benchRoundJs } from './round-js';
import { benchAttendanceTap } from './attendance-tap';
import { benchRoundTaps } from './round-taps';
import { benchLighthouse } from './lighthouse';
import { benchLockGuess } from './lock-guess';
import { benchCipher } from './cipher';
import { benchFirstSync, benchIncremental, benchLoadPostgres, benchLoadPostgresTwo, benchLoadSqlite, benchPouchDb } from './sync-server';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  budget: number;
  /** Scores (Lighthouse) must reach the budget; times and sizes must stay under it. */
  higherIsBetter?: boolean;
  /** Anything a reader needs to judge the figure: what was counted, spread, caveats. */
  note?: string;
}

/** Lazily started, shared by every section that needs the built app or a browser. */
export interface BenchContext {
  app(): Promise<AppServer>;
  browser(): Promise<Browser>;
}

export interface BenchSection {
  key: string;
  run: (ctx: BenchContext) => Promise<BenchResult | BenchResult[]>;
  /** False when the section needs neither the built app nor a browser, so running only it skips the vite build. */
  build?: false;
}

/** The registry: add a section here (e.g. the server's sync throughput) and it is measured and printed.
 * `npm run bench -- <key> …` runs only the named sections. */
export const SECTIONS: BenchSection[] = [
  { key: 'round-js', run: benchRoundJs },
  { key: 'attendance-tap', run: benchAttendanceTap },
  { key: 'lighthouse', run: benchLighthouse },
  { key: 'round-taps', run: benchRoundTaps },
  { key: 'report', run: () => benchReportNode() },
  { key: 'report-phone', run: benchReportPhone },
  { key: 'sync-first', run: benchFirstSync, build: false },
  { key: 'sync-incremental', run: benchIncremental, build: false },
  { key: 'sync-load', run: benchLoadSqlite, build: false },
  { key: 'sync-load-pg', run: benchLoadPostgres, build: false },
  { key: 'sync-load-pg2', run: benchLoadPostgresTwo, build: false },
  { key: 'pouchdb', run: benchPouchDb, build: false },
  { key: 'lock-guess', run: benchLockGuess, build: false },
  { key: 'cipher', run: benchCipher, build: false },
];

function lazy<T>(make: () => Promise<T>): { get: () => Promise<T>; started: () => Promise<T> | null } {
  let p: Promise<T> | null = null;
  return { get: () => (p ??= make()), started: () => p };
}

export function formatResult(r: BenchResult): string {
  const ratio = r.value / r.budget;
  const ok = r.higherIsBetter ? r.value >= r.budget : r.value <= r.budget;
  const cmp = r.higherIsBetter ? '≥' : '≤';
  const line = `${ok ? 'ok  ' : 'OVER'}  ${r.name}: ${r.value} ${r.unit} (budget ${cmp} ${r.budget} ${r.unit}, ratio ${ratio.toFixed(2)})`;
  return r.note ? `${line}\n      ${r.note}` : line;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const sections = only.length ? SECTIONS.filter((s) => only.includes(s.key)) : SECTIONS;
  const needsBuild = sections.some((s) => s.key !== 'report' && s.build !== false);
  if (needsBuild) {
    console.log('bouwen (vite build)…');
    const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) {
      console.log('build mislukt: alleen de metingen zonder browser lopen');
    }
  }
  const app = lazy(startApp);
  const browser = lazy(launchBrowser);
  const ctx: BenchContext = { app: app.get, browser: browser.get };
  const lines: string[] = [];
  for (const s of sections) {
    const t0 = performance.now();
    try {
      const out = await s.run(ctx);
      for (const r of Array.isArray(out) ? out : [out]) {
        const line = formatResult(r);
        lines.push(line);
        console.log(line);
      }
    } catch (e) {
      const msg = (e as Error).message;
      // Playwright's call log says which element it waited for; that line is the useful one.
      const waited = msg.split('\n').find((l) => l.includes('waiting for'))?.trim();
      const line = `n/a   ${s.key}: niet gemeten — ${msg.split('\n')[0]}${waited ? ` (${waited})` : ''}`;
      lines.push(line);
      console.log(line);
    }
    console.log(`      (${s.key}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  await (await browser.started()?.catch(() => null))?.close();
  await (await app.started()?.catch(() => null))?.stop();
  console.log('\nSamenvatting');
  for (const l of lines) console.log(l.split('\n')[0]);
}

await main();
process.exit(0);
