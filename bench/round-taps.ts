// Bench (d): how many taps a whole round takes, counted while running the e2e scenario (test-setup/round-scenario.ts).
import type { Browser } from 'playwright-core';
import { phoneContext, screenshot, seedGroup } from '../test-setup/browser';
import { EXISTING, NEWCOMERS, Taps, createLocationAndGroup, requiredRound, wholeRound } from '../test-setup/round-scenario';
import type { BenchContext, BenchResult } from './run';

/** Issue 9: the required path of a round (12 present of whom 2 new, five steps, chosen theme, the close with its
 * duration, the first round's "really new?" question) in at most 30 taps. */
const TAP_BUDGET = 30;

/** One round on a fresh phone with a new group of 10 regulars; returns its taps by phase, setup left out. */
async function count(url: string, browser: Browser, round: typeof requiredRound): Promise<{ taps: number; phases: string; typed: number }> {
  const context = await phoneContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(url + '/');
    const taps = new Taps();
    const groupId = await createLocationAndGroup(page, taps);
    await seedGroup(page, { groupId, names: EXISTING });
    await page.reload();
    const setup = taps.total;
    const setupTyped = taps.typedChars;
    await round(page, taps).catch(async (e) => {
      throw new Error(`${(e as Error).message.split('\n')[0]} (zie ${await screenshot(page, 'bench-round-taps')})`);
    });
    const phases = Object.entries(taps.byPhase)
      .filter(([p]) => p !== 'setup')
      .map(([p, n]) => `${p} ${n}`)
      .join(', ');
    return { taps: taps.total - setup, phases, typed: taps.typedChars - setupTyped };
  } finally {
    await context.close();
  }
}

export async function benchRoundTaps(ctx: BenchContext): Promise<BenchResult> {
  const [app, browser] = await Promise.all([ctx.app(), ctx.browser()]);
  const required = await count(app.url, browser, requiredRound);
  const whole = await count(app.url, browser, wholeRound);
  return {
    name: `taps for the required path of a round (${EXISTING.length + NEWCOMERS.length} present, ${NEWCOMERS.length} new)`,
    value: required.taps,
    unit: 'taps',
    budget: TAP_BUDGET,
    note: `${required.phases}; ${required.typed} typed characters. With every optional field of the e2e round (werkvorm, themes, note, mote, strategy, closing words, evaluation, timer peek): ${whole.taps} taps (${whole.phases}) + ${whole.typed} characters`,
  };
}
