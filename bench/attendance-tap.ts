// Bench (b): attendance tap → IndexedDB commit and the list re-rendered, on a group with 60 participants and
// 5 years of fortnightly rounds (budget: median under 16 ms).
import { phoneContext, seedGroup, startTodaysRound } from '../test-setup/browser';
import type { BenchContext, BenchResult } from './run';

const PARTICIPANTS = 60;
const TAPS = 50;

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

export async function benchAttendanceTap(ctx: BenchContext): Promise<BenchResult> {
  const [app, browser] = await Promise.all([ctx.app(), ctx.browser()]);
  const context = await phoneContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(app.url + '/');
    const names = Array.from({ length: PARTICIPANTS }, (_, i) => `Deelnemer ${String(i + 1).padStart(2, '0')}`);
    const seeded = await seedGroup(page, { names, pastRounds: { years: 5, everyDays: 14, present: 10 } });
    const roundId = await startTodaysRound(page, seeded.groupId);
    await page.goto(`${app.url}/#/ronde/${encodeURIComponent(roundId)}`);
    await page.reload();
    await page.locator('button[aria-pressed="false"]').nth(TAPS - 1).waitFor();
    // Measured inside the page, so the figure is the app's work, not Playwright's round trips.
    const times = await page.evaluate(async (taps) => {
      const idb = await new Promise<IDBDatabase>((ok, fail) => {
        const r = indexedDB.open('luisterkring');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      // A read on 'outbox' queues behind the app's write transaction on it, so it sees the commit, not before.
      const outboxCount = () =>
        new Promise<number>((ok) => {
          const q = idb.transaction('outbox', 'readonly').objectStore('outbox').count();
          q.onsuccess = () => ok(q.result);
        });
      const rows = () => [...document.querySelectorAll<HTMLButtonElement>('button[aria-pressed]')];
      const label = (b: HTMLButtonElement) => b.querySelector('.att-name')?.textContent ?? b.textContent ?? '';
      const targets = rows()
        .filter((b) => b.getAttribute('aria-pressed') === 'false')
        .slice(0, taps)
        .map(label);
      const out: { total: number; commit: number; dom: number }[] = [];
      for (const name of targets) {
        const button = () => rows().find((b) => label(b) === name)!;
        const before = await outboxCount();
        await new Promise((r) => setTimeout(r, 30));
        const t0 = performance.now();
        const dom = new Promise<number>((ok) => {
          const done = () => button()?.getAttribute('aria-pressed') === 'true';
          const mo = new MutationObserver(() => {
            if (done()) {
              mo.disconnect();
              ok(performance.now());
            }
          });
          mo.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
        });
        button().click();
        let commit = 0;
        while (!commit) if ((await outboxCount()) > before) commit = performance.now();
        const domAt = await dom;
        out.push({ total: Math.max(commit, domAt) - t0, commit: commit - t0, dom: domAt - t0 });
      }
      idb.close();
      return out;
    }, TAPS);
    const total = times.map((t) => t.total).sort((a, b) => a - b);
    const commit = times.map((t) => t.commit).sort((a, b) => a - b);
    const dom = times.map((t) => t.dom).sort((a, b) => a - b);
    const r1 = (n: number) => Math.round(n * 10) / 10;
    return {
      name: `attendance tap → stored and shown (median of ${times.length}; ${PARTICIPANTS} participants, ${seeded.rounds} past rounds)`,
      value: r1(percentile(total, 50)),
      unit: 'ms',
      budget: 16,
      note: `p95 ${r1(percentile(total, 95))} ms; commit median ${r1(percentile(commit, 50))} ms, DOM median ${r1(percentile(dom, 50))} ms; tap = element.click() in the page`,
    };
  } finally {
    await context.close();
  }
}
