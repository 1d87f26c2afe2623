// Bench (c): Lighthouse mobile performance and accessibility of the built app served by the real server (≥ 95 / 100).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, ROOT } from '../test-setup/browser';
import type { BenchContext, BenchResult } from './run';

interface LhReport {
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { score: number | null; title: string; displayValue?: string }>;
}

function runLighthouse(url: string, out: string): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'lighthouse', 'cli', 'index.js'),
        url,
        '--quiet',
        '--form-factor=mobile',
        '--only-categories=performance,accessibility',
        '--output=json',
        `--output-path=${out}`,
        `--chrome-flags=${CHROMIUM_FLAGS.join(' ')}`,
      ],
      { cwd: ROOT, env: { ...process.env, CHROME_PATH: CHROMIUM_PATH }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`lighthouse stopte met ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`))));
  });
}

/** What cost points in a category, so a score under budget says where to look. */
function failing(r: LhReport, category: string): string {
  return (r.categories[category]?.auditRefs ?? [])
    .map((ref) => [ref.id, r.audits[ref.id]] as const)
    .filter(([, a]) => a && a.score !== null && a.score < 0.9)
    .map(([id, a]) => `${id}${a.displayValue ? ` (${a.displayValue})` : ''}`)
    .slice(0, 6)
    .join(', ');
}

/** Lighthouse's own advice: one run varies by several points (total blocking time follows whatever else the CPU
 * does), so report the run with the median performance score of five. */
const RUNS = 5;

export async function benchLighthouse(ctx: BenchContext): Promise<BenchResult[]> {
  const app = await ctx.app();
  const dir = mkdtempSync(join(tmpdir(), 'lk-lighthouse-'));
  try {
    const reports: LhReport[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = join(dir, `report-${i}.json`);
      await runLighthouse(app.url + '/', out);
      reports.push(JSON.parse(readFileSync(out, 'utf8')) as LhReport);
    }
    const perf = (x: LhReport) => x.categories.performance?.score ?? 0;
    const sorted = [...reports].sort((a, b) => perf(a) - perf(b));
    const r = sorted[Math.floor(RUNS / 2)];
    const spread = `median of ${RUNS} runs (performance ${sorted.map((x) => Math.round(perf(x) * 100)).join(', ')})`;
    const score = (c: string) => Math.round((r.categories[c]?.score ?? 0) * 100);
    const weak = (c: string) => {
      const f = failing(r, c);
      return f ? `below 0.9: ${f}` : '';
    };
    const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift']
      .map((id) => `${id.replace(/-/g, ' ')} ${r.audits[id]?.displayValue ?? '?'}`)
      .join(', ');
    return [
      { name: 'Lighthouse mobile performance', value: score('performance'), unit: 'pts', budget: 95, higherIsBetter: true, note: [spread, metrics, weak('performance')].filter(Boolean).join('; ') },
      { name: 'Lighthouse accessibility', value: score('accessibility'), unit: 'pts', budget: 100, higherIsBetter: true, note: weak('accessibility') || undefined },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
