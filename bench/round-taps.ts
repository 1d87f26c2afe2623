// Bench (d): how many taps a whole round takes, counted while running the e2e scenario (test-setup/round-scenario.ts).
import { phoneContext, screenshot, seedGroup } from '../test-setup/browser';
import { EXISTING, NEWCOMERS, Taps, createLocationAndGroup, wholeRound } from '../test-setup/round-scenario';
import type { BenchContext, BenchResult } from './run';

/** No budget in DESIGN §6; this is the count to keep from growing: 12 present and the five steps in about 60 taps. */
const TAP_BUDGET = 60;

export async function benchRoundTaps(ctx: BenchContext): Promise<BenchResult> {
  const [app, browser] = await Promise.all([ctx.app(), ctx.browser()]);
  const context = await phoneContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(app.url + '/');
    const taps = new Taps();
    const groupId = await createLocationAndGroup(page, taps);
    await seedGroup(page, { groupId, names: EXISTING });
    await page.reload();
    const setup = taps.total;
    await wholeRound(page, taps).catch(async (e) => {
      throw new Error(`${(e as Error).message.split('\n')[0]} (zie ${await screenshot(page, 'bench-round-taps')})`);
    });
    const phases = Object.entries(taps.byPhase)
      .filter(([p]) => p !== 'setup')
      .map(([p, n]) => `${p} ${n}`)
      .join(', ');
    return {
      name: `taps for a whole round (${EXISTING.length + NEWCOMERS.length} present, ${NEWCOMERS.length} new)`,
      value: taps.total - setup,
      unit: 'taps',
      budget: TAP_BUDGET,
      note: `${phases}; plus ${taps.typedChars} typed characters`,
    };
  } finally {
    await context.close();
  }
}
