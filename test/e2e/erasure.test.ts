// AVG erasure in real Chromium: the coördinator exports and erases a participant on the admin screen; a phone that
// was online drops her at its next sync, and a phone that was offline and recorded her meanwhile cannot bring her back.
import { readdirSync, readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { idbAll, launchBrowser, loggedInPhone, ownPasswordFor, screenshot, syncViaUi } from '../../test-setup/browser';
import { attendanceButton } from '../../test-setup/round-scenario';
import { ApiClient, startServerProcess, type ServerProcess } from '../../test-setup/server-process';

const test = suite('erasure');
let server: ServerProcess;
let browser: Browser;

test.before(async () => {
  server = await startServerProcess();
  browser = await launchBrowser();
});

test.after(async () => {
  await browser?.close();
  await server?.stop();
});

type Row = { id: string; groupId: string | null; _d?: string; [k: string]: unknown };

const GROUP = 'Luistergroep De Linde';
const NAME = 'Quirijntje';
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

async function openGroup(page: Page, groupId: string): Promise<void> {
  await page.evaluate((id) => (location.hash = `#/groep/${encodeURIComponent(id)}`), groupId);
  await page.getByRole('heading', { name: GROUP }).waitFor();
}

/** Nothing on this phone holds her name or her attendance: at most tombstones without values. */
async function goneFrom(page: Page, pid: string, label: string): Promise<void> {
  const participants = await idbAll<Row>(page, 'participants');
  assert.not.ok(JSON.stringify(participants).includes(NAME), `${label}: no participant row holds the name`);
  const p = participants.find((r) => r.id === pid);
  assert.ok(!p || (p._d && p.name === undefined), `${label}: at most a tombstone`);
  const attendance = (await idbAll<Row>(page, 'attendance')).filter((a) => !a._d && (a.participantId === pid || a.id.endsWith(`|${pid}`)));
  assert.equal(attendance, [], `${label}: no attendance of hers`);
  for (const store of ['outbox', 'rejected']) {
    assert.not.ok(JSON.stringify(await idbAll(page, store)).includes(pid), `${label}: nothing about her in ${store}`);
  }
}

const phone = (username: string, password: string) => loggedInPhone(browser, server.url, username, password);

test('erased on the server, gone from an online phone and from an offline phone that recorded her meanwhile', async () => {
  const coord = new ApiClient(server.url);
  await coord.login('coordinator', server.password);
  const { groupId, participantIds } = await coord.createGroup(GROUP, ['Amina', NAME, 'Bas']);
  const pid = participantIds[1];
  const a = await phone('anja', await coord.createBegeleider('anja', [groupId]));
  const b = await phone('bram', await coord.createBegeleider('bram', [groupId]));
  // The coördinator's code was swapped for her own password by the API login above.
  const c = await phone('coordinator', ownPasswordFor(server.password));
  const pages = { a: a.page, b: b.page, c: c.page };
  try {
    for (const page of [a.page, b.page]) {
      assert.ok((await idbAll<Row>(page, 'participants')).some((r) => r.name === NAME), 'both phones have her');
    }

    // Phone B loses its connection, marks her present at today's round and corrects her name.
    await b.context.setOffline(true);
    await openGroup(b.page, groupId);
    await button(b.page, 'Start de ronde van vandaag').click();
    await b.page.getByRole('heading', { name: 'Aanwezigheid' }).waitFor();
    const roundHash = new URL(b.page.url()).hash;
    const present = attendanceButton(b.page, NAME);
    await present.click();
    await present.and(b.page.locator('[aria-pressed="true"]')).waitFor();
    await b.page.evaluate((id) => (location.hash = `#/beheer/deelnemers/${encodeURIComponent(id)}`), groupId);
    await button(b.page, `Bewerk ${NAME}`).click();
    await b.page.getByRole('textbox', { name: 'Voornaam of alias' }).fill(`${NAME} Q`);
    await button(b.page, 'Opslaan').click();
    await button(b.page, `Bewerk ${NAME} Q`).waitFor();
    const waiting = (await idbAll<{ table: string; id: string }>(b.page, 'outbox')).filter((o) => o.id === pid || o.id.endsWith(`|${pid}`));
    assert.equal(waiting.map((o) => o.table).sort(), ['attendance', 'participants'], 'her attendance and new name wait in B’s outbox');

    const holds = () => readdirSync(server.dataDir).filter((f) => readFileSync(`${server.dataDir}/${f}`).includes(Buffer.from(NAME)));
    assert.ok(holds().length > 0, 'before erasure the server’s files hold her name (so the check at the end means something)');

    // The coördinator exports her data, then erases her on the participants screen.
    await c.page.evaluate((id) => (location.hash = `#/beheer/deelnemers/${encodeURIComponent(id)}`), groupId);
    await button(c.page, `Bewerk ${NAME}`).click();
    const download = c.page.waitForEvent('download');
    await button(c.page, 'Gegevens exporteren').click();
    const file = await (await download).path();
    const exported = JSON.parse(readFileSync(file!, 'utf8'));
    assert.is(exported.participant.values.name, NAME);
    assert.is(exported.group.name, GROUP);
    await c.page.getByRole('heading', { name: `Gegevens van ${NAME}` }).waitFor();
    // Printed, the summary is all there is: the screen around it hidden, the summary itself shown.
    await c.page.emulateMedia({ media: 'print' });
    const printed = await c.page.evaluate(() => ({
      summary: getComputedStyle(document.getElementById('export-title')!).visibility,
      around: getComputedStyle(document.querySelector('.admin-back')!).visibility,
    }));
    await c.page.emulateMedia({ media: 'screen' });
    assert.equal(printed, { summary: 'visible', around: 'hidden' }, 'the printed export shows the summary alone');

    await button(c.page, 'Wissen…').click();
    await c.page.getByText('Dit kan niet ongedaan worden gemaakt').waitFor();
    const confirm = c.page.getByLabel(`Typ “${NAME}” om te bevestigen`);
    await confirm.fill('Quirijn');
    await button(c.page, 'Definitief wissen').click();
    await c.page.getByText(`Typ precies de naam “${NAME}” om te bevestigen`).waitFor();
    await confirm.fill(NAME);
    await button(c.page, 'Definitief wissen').click();
    await c.page.getByRole('status').filter({ hasText: `${NAME} is gewist` }).waitFor();
    await c.page.getByRole('button', { name: `Bewerk ${NAME}` }).waitFor({ state: 'detached' });

    // Phone A syncs: she is gone from its database and its screens.
    await syncViaUi(a.page);
    await goneFrom(a.page, pid, 'phone A');
    await openGroup(a.page, groupId);
    await a.page.getByText('Amina').first().waitFor();
    assert.is(await a.page.getByText(NAME).count(), 0, 'phone A shows her nowhere on the group page');

    // Phone B comes back: its attendance for her is refused, and she leaves B too, without a refusal to resolve.
    await b.context.setOffline(false);
    await syncViaUi(b.page);
    await goneFrom(b.page, pid, 'phone B');
    assert.equal(await idbAll(b.page, 'rejected'), [], 'no refusal is left to show');
    await b.page.evaluate((h) => (location.hash = h), roundHash);
    await b.page.getByRole('heading', { name: 'Aanwezigheid' }).waitFor();
    await attendanceButton(b.page, 'Amina').waitFor();
    assert.is(await attendanceButton(b.page, NAME).count(), 0, 'phone B’s attendance list no longer has her');

    // The server holds her nowhere: not in what it serves, not in its SQLite files.
    const rows = await coord.pullAll();
    assert.not.ok(JSON.stringify(rows).includes(NAME));
    assert.equal(holds(), [], 'no SQLite file holds a trace of the name');
  } catch (e) {
    for (const [k, page] of Object.entries(pages)) await screenshot(page, `erasure-${k}`);
    throw e;
  }
});

test.run();
