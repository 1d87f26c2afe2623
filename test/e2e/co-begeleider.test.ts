// Issue 9 defect 1 in two Chromium phones: the begeleider runs and closes today's round offline while the
// co-begeleider, offline and without the round, times it; after syncing in either order the round stays closed
// and the report counts it once, and a stale "bezig" pushed later by any device does not reopen it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { firstPassword, idbAll, launchBrowser, loggedInPhone, screenshot, startApp, syncViaUi, type AppServer } from '../../test-setup/browser';
import { EXISTING, Taps, wholeRound } from '../../test-setup/round-scenario';
import { ApiClient } from '../../test-setup/server-process';
import { localDate } from '../../src/shared/ids';

const test = suite('co-begeleider');
let app: AppServer;
let browser: Browser;
let coord: ApiClient;

test.before(async () => {
  app = await startApp();
  browser = await launchBrowser();
  coord = new ApiClient(app.url);
  await coord.login('coordinator', firstPassword(app));
});

test.after(async () => {
  await browser?.close();
  await app?.stop();
});

type Row = { id: string; status?: string; roundId?: string; device?: string };
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

async function openGroup(page: Page, groupId: string, name: string): Promise<void> {
  await page.evaluate((id) => (location.hash = `#/groep/${encodeURIComponent(id)}`), groupId);
  await page.getByRole('heading', { name }).waitFor();
}

async function statusOn(page: Page, roundId: string): Promise<string | undefined> {
  return (await idbAll<Row>(page, 'rounds')).find((r) => r.id === roundId)?.status;
}

async function heldInReport(): Promise<number> {
  const today = localDate();
  const r = await coord.call('GET', `/api/report?from=${today}&to=${today}`);
  assert.is(r.status, 200, JSON.stringify(r.json));
  return r.json.roundsHeld as number;
}

for (const order of ['begeleider first', 'co-begeleider first'] as const) {
  test(`closed offline on one phone, timed offline on the other, synced ${order}: afgerond everywhere and counted once`, async () => {
    const name = `Luistergroep ${order}`;
    const { groupId } = await coord.createGroup(name, EXISTING);
    const tag = Math.random().toString(36).slice(2, 7);
    const passA = await coord.createBegeleider(`anja${tag}`, [groupId]);
    const passB = await coord.createBegeleider(`bram${tag}`, [groupId]);
    const held = await heldInReport();
    const a = await loggedInPhone(browser, app.url, `anja${tag}`, passA);
    const b = await loggedInPhone(browser, app.url, `bram${tag}`, passB);
    try {
      await a.context.setOffline(true);
      await b.context.setOffline(true);

      // B synced before the round existed; the group page offers the timer of today's round anyway.
      await openGroup(b.page, groupId, name);
      await b.page.getByRole('link', { name: 'Timer (co-begeleider)' }).click();
      await b.page.waitForURL(/\/timer$/);
      await b.page.getByText(/De ronde zelf staat nog niet op deze telefoon/).waitFor();
      await button(b.page, 'Start Inloop').click();
      await button(b.page, 'Volgende stap: Opening').click();
      await b.page.locator('.timer-step', { hasText: 'Opening' }).waitFor();
      const timerRound = decodeURIComponent(new URL(b.page.url()).hash.replace(/^#\/ronde\//, '').replace(/\/timer$/, ''));
      assert.is(await statusOn(b.page, timerRound), undefined, 'the timer wrote no round record of its own');

      // A runs the whole round and closes it.
      await openGroup(a.page, groupId, name);
      const roundId = await wholeRound(a.page, new Taps());
      assert.is(roundId, timerRound, 'both phones use the same derived round id');
      assert.is(await statusOn(a.page, roundId), 'afgerond');

      await a.context.setOffline(false);
      await b.context.setOffline(false);
      const [first, second] = order === 'begeleider first' ? [a, b] : [b, a];
      await syncViaUi(first.page);
      await syncViaUi(second.page);
      await syncViaUi(first.page);

      assert.is(await statusOn(a.page, roundId), 'afgerond', 'closed on the begeleider phone');
      assert.is(await statusOn(b.page, roundId), 'afgerond', 'closed on the co-begeleider phone');
      const rows = await coord.pullAll();
      assert.is(rows.find((r) => r.table === 'rounds' && r.id === roundId)?.values.status, 'afgerond', 'closed on the server');
      const bDevice = (await idbAll<{ key: string; value: string }>(b.page, 'meta')).find((m) => m.key === 'deviceId')!.value;
      assert.ok(
        rows.some((r) => r.table === 'stepTimings' && r.values.roundId === roundId && r.values.device === bDevice),
        "the co-begeleider's step times reached the round",
      );
      assert.is(await heldInReport(), held + 1, 'the report counts the round once');

      // The co-begeleider's timer now shows how the round went, not a countdown.
      await b.page.evaluate((id) => (location.hash = `#/ronde/${encodeURIComponent(id)}/timer`), roundId);
      await b.page.getByText('Deze ronde is afgerond.').waitFor();
      assert.is(await b.page.getByText('nog', { exact: true }).count(), 0);

      // Any device, e.g. an old app, pushes a plain "bezig" with a later clock: the round stays closed.
      const stale = new ApiClient(app.url);
      await stale.login(`bram${tag}`, passB);
      await stale.push([{ table: 'rounds', id: roundId, groupId, values: { status: 'bezig', startedAt: Date.now() } }]);
      const after = await coord.pullAll();
      assert.is(after.find((r) => r.table === 'rounds' && r.id === roundId)?.values.status, 'afgerond', 'a stale bezig does not reopen it');
      assert.is(await heldInReport(), held + 1);
      await syncViaUi(a.page);
      assert.is(await statusOn(a.page, roundId), 'afgerond');
    } catch (e) {
      await screenshot(a.page, `co-begeleider-a-${order.split(' ')[0]}`);
      await screenshot(b.page, `co-begeleider-b-${order.split(' ')[0]}`);
      throw e;
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });
}

test.run();
