// A whole round on a phone without network, in real Chromium: reloads mid-round lose nothing, and every change waits in the outbox.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { idbAll, launchBrowser, openControlled, phoneContext, screenshot, seedGroup, startApp, type AppServer } from '../../test-setup/browser';
import {
  EXISTING, NEWCOMERS, NOTE, STEP_TITLES, Taps, attendanceButton, beginSteps, createLocationAndGroup, doStep, evaluateAndEnd,
  peekTimer, startRound, stepShown, takeAttendance,
} from '../../test-setup/round-scenario';

const test = suite('offline round');
let app: AppServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

test.before(async () => {
  app = await startApp();
  browser = await launchBrowser();
  context = await phoneContext(browser);
  page = await context.newPage();
});

test.after(async () => {
  await browser?.close();
  await app?.stop();
});

type Row = { id: string; groupId: string | null; _h: Record<string, string>; _d?: string; [k: string]: unknown };
type OutboxRow = { mid: number; table: string; id: string; values: Record<string, unknown>; hlc: string };

async function reloadOffline(): Promise<void> {
  await page.reload();
  await page.getByRole('link', { name: 'Luisterkring — naar het begin' }).waitFor();
}

test('a whole round runs offline, survives reloads, and every change waits in the outbox', async () => {
  const taps = new Taps();
  try {
    await openControlled(page, app.url);
    await context.setOffline(true);
    await reloadOffline();

    const groupId = await createLocationAndGroup(page, taps);
    // The ten regulars come from earlier rounds; only they are seeded, through the app's own data layer.
    await seedGroup(page, { groupId, names: EXISTING });
    await reloadOffline();
    await page.getByRole('heading', { name: 'Luistergroep De Linde' }).waitFor();

    const roundId = await startRound(page, taps);
    await takeAttendance(page, taps);
    for (const n of NEWCOMERS) assert.ok(await attendanceButton(page, n.name).getByText('nieuw').isVisible(), `${n.name} is marked new`);

    await beginSteps(page, taps);
    await doStep(page, taps, 0);
    await doStep(page, taps, 1);

    const timer = await peekTimer(page, taps);
    assert.is(timer.step, 'Verdieping', 'the timer shows the step the begeleider is on');
    assert.ok(timer.running, 'that step is running (Pauze is offered)');
    assert.match(timer.clock, /^nog\s+\d+:\d\d/, `clock shows time left: ${JSON.stringify(timer.clock)}`);
    await stepShown(page, 2);

    // Mid-round, the page is reloaded without network: same step, same attendance.
    await reloadOffline();
    await stepShown(page, 2);
    await page.getByRole('button', { name: 'Aanwezigheid' }).click();
    await page.getByText(`${EXISTING.length + NEWCOMERS.length} aanwezig`).waitFor();
    for (const name of [...EXISTING, ...NEWCOMERS.map((n) => n.name)]) {
      assert.is(await attendanceButton(page, name).getAttribute('aria-pressed'), 'true', `${name} still present`);
    }
    await taps.tap(page.getByRole('button', { name: 'Terug naar Verdieping' }), { nav: true });
    await stepShown(page, 2);

    await doStep(page, taps, 2);
    await doStep(page, taps, 3);
    await doStep(page, taps, 4);
    await evaluateAndEnd(page, taps);

    await reloadOffline();
    await page.getByRole('heading', { name: 'Samenvatting' }).waitFor();

    const rounds = await idbAll<Row>(page, 'rounds');
    const round = rounds.find((r) => r.id === roundId)!;
    assert.is(round.status, 'afgerond');
    assert.is(round.werkvorm, 'blij-nieuws');
    assert.is(round.chosenTheme, 'eenzaamheid');
    assert.equal(round.themesRaised, { eenzaamheid: 1, geld: 1 });
    assert.ok(typeof round.endedAt === 'number');
    const attendance = (await idbAll<Row>(page, 'attendance')).filter((a) => a.roundId === roundId && a.present);
    assert.is(attendance.length, 12);
    const participants = await idbAll<Row>(page, 'participants');
    assert.is(participants.length, 12);
    const notes = (await idbAll<Row>(page, 'notes')).filter((n) => n.roundId === roundId);
    assert.equal(notes.map((n) => [n.step, n.text]), [['verdieping', NOTE]]);
    const evaluation = (await idbAll<Row>(page, 'evaluations')).find((e) => e.roundId === roundId)!;
    assert.is(evaluation.atmosphere, 4);
    assert.is(evaluation.safety, 5);
    const timings = (await idbAll<Row>(page, 'stepTimings')).filter((s) => s.roundId === roundId);
    for (const step of STEP_TITLES.map((s) => s.toLowerCase())) assert.ok(timings.some((s) => s.step === step && s.kind === 'start'), `${step} was timed`);

    // Nothing reached a server: every field's latest value is an outbox entry with the very same HLC.
    const outbox = await idbAll<OutboxRow>(page, 'outbox');
    const byHlc = new Map(outbox.map((o) => [`${o.table}|${o.id}|${o.hlc}`, o]));
    let fields = 0;
    for (const table of ['locations', 'groups', 'participants', 'rounds', 'attendance', 'notes', 'evaluations', 'stepTimings']) {
      for (const row of await idbAll<Row>(page, table)) {
        for (const [key, hlc] of Object.entries(row._h)) {
          // A round keeps the latest write of each status as `status@<value>` (merge.ts): a write of that value.
          const [field, written = row[field]] = key.split('@');
          const entry = byHlc.get(`${table}|${row.id}|${hlc}`);
          assert.ok(entry && field in entry.values, `${table}/${row.id}.${key} is in the outbox`);
          assert.equal(entry!.values[field], written, `${table}/${row.id}.${key} outbox value`);
          fields++;
        }
      }
    }
    assert.ok(fields > 100, `checked ${fields} fields`);
    const mids = outbox.map((o) => o.mid);
    assert.equal(mids, [...mids].sort((a, b) => a - b), 'outbox in mutation order');
  } catch (e) {
    await screenshot(page, 'offline-round');
    throw e;
  }
});

test.run();
