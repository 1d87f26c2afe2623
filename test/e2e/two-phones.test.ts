// Two begeleiders' phones run the same round offline, each starting it itself, and after syncing both show one whole round.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { idbAll, launchBrowser, loggedInPhone, screenshot, startApp, syncViaUi, type AppServer } from '../../test-setup/browser';
import { attendanceButton } from '../../test-setup/round-scenario';
import { ApiClient } from '../../test-setup/server-process';

const test = suite('two phones');
let app: AppServer;
let browser: Browser;

test.before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

test.after(async () => {
  await browser?.close();
  await app?.stop();
});

type Row = { id: string; groupId: string | null; _h: Record<string, string>; _d?: string; [k: string]: unknown };

const GROUP = 'Luistergroep De Linde';
const REGULARS = ['Amina', 'Bas', 'Chantal', 'Dirk', 'Esra', 'Fatima'];
const A_PRESENT = ['Amina', 'Bas'];
const B_PRESENT = ['Amina', 'Chantal', 'Dirk'];
const NEWCOMER = 'Karim';
const NOTE_A_OPENING = 'Warm welkom; Karim is voor het eerst.';
const NOTE_A_KEUZE = 'Drie verhalen over rondkomen.';
const NOTE_B_KEUZE = 'Co: de groep koos snel, met veel herkenning.';
const MOTE = 'Wie kent dat, aan het eind van de maand?';

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

async function openGroup(page: Page, groupId: string): Promise<void> {
  await page.evaluate((id) => (location.hash = `#/groep/${encodeURIComponent(id)}`), groupId);
  await page.getByRole('heading', { name: GROUP }).waitFor();
}

async function markPresent(page: Page, names: string[]): Promise<void> {
  for (const name of names) {
    const b = attendanceButton(page, name);
    await b.click();
    await b.and(page.locator('[aria-pressed="true"]')).waitFor();
  }
}

async function addNoteHere(page: Page, text: string): Promise<void> {
  await page.getByLabel('Notitie', { exact: true }).fill(text);
  await button(page, 'Notitie bewaren').click();
  await page.getByRole('status').filter({ hasText: 'Notitie bewaard' }).waitFor();
  await page.locator('.note-list li', { hasText: text }).waitFor();
}

/** "Volgende stap" waits out RoundFlow's double-tap guard, as a person would. */
async function nextStep(page: Page, title: string): Promise<void> {
  await page.waitForTimeout(350);
  await button(page, 'Volgende stap').click();
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
}

/** Opens a step of the round the way the flow resumes after a reload: from the screen this phone saved last.
 * Only for looking: going there by "Volgende stap" would record step events and change what is compared. */
async function viewStep(page: Page, roundId: string, index: number, title: string): Promise<void> {
  await page.evaluate(() => (location.hash = '#/'));
  await page.getByRole('link', { name: 'Luisterkring — naar het begin' }).waitFor();
  await page.evaluate(
    ([id, i]) =>
      new Promise<void>((ok, fail) => {
        const open = indexedDB.open('luisterkring');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('meta', 'readwrite');
          tx.objectStore('meta').put({ key: `ui:round:${id}`, value: { kind: 'step', index: i } });
          tx.oncomplete = () => {
            open.result.close();
            ok();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
    [roundId, index] as const,
  );
  await page.evaluate((id) => (location.hash = `#/ronde/${encodeURIComponent(id)}`), roundId);
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
}

/** The step's notes once they have loaded (they arrive after the heading) and stopped changing; both steps read
 * here hold notes in this scenario, so an empty list means still loading. */
async function settledNotes(page: Page): Promise<string[]> {
  const read = async () => (await page.locator('.note-list li .note-text').allInnerTexts()).map((s) => s.trim()).sort();
  let last = await read();
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(150);
    const now = await read();
    if (now.length > 0 && JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  return last;
}

/** What a phone's UI shows of the round: attendance, notes per step, the round fields and the timer. */
async function shownRound(page: Page, roundId: string) {
  await page.evaluate((id) => (location.hash = `#/ronde/${encodeURIComponent(id)}/timer`), roundId);
  await page.locator('.timer-step').waitFor();
  const timerStep = (await page.locator('.timer-step').innerText()).trim();
  const stepRows = (await page.locator('.step-row .step-name').allInnerTexts()).map((s) => s.trim());
  const currentRow = (await page.locator('.step-row[aria-current="step"] .step-name').innerText()).trim();

  await viewStep(page, roundId, 0, 'Opening');
  const werkvorm = await page.getByRole('radio', { name: 'Blij nieuws' }).isChecked();
  const openingNotes = await settledNotes(page);
  await viewStep(page, roundId, 1, 'Verhaalkeuze');
  const themeGeld = await page.getByRole('radio', { name: 'geld en armoede' }).isChecked();
  const themeEenzaam = await page.getByRole('radio', { name: 'eenzaamheid' }).isChecked();
  const keuzeNotes = await settledNotes(page);
  await viewStep(page, roundId, 3, 'Verbreding');
  const mote = await page.getByLabel('De mote: de vraag waarmee de verbreding begon').inputValue();

  await page.getByRole('button', { name: 'Aanwezigheid', exact: true }).click();
  await page.getByRole('heading', { name: 'Aanwezigheid' }).waitFor();
  // The list loads after the heading; the count is only worth reading once the names are there.
  await attendanceButton(page, NEWCOMER).waitFor();
  const count = (await page.getByText(/^\d+ aanwezig$/).innerText()).trim();
  const pressed: Record<string, boolean> = {};
  for (const name of [...REGULARS, NEWCOMER]) pressed[name] = (await attendanceButton(page, name).getAttribute('aria-pressed')) === 'true';
  const karimNew = await attendanceButton(page, NEWCOMER).getByText('nieuw').isVisible();
  return { timerStep, stepRows, currentRow, werkvorm, openingNotes, themeGeld, themeEenzaam, keuzeNotes, mote, count, pressed, karimNew };
}

async function roundData(page: Page, roundId: string) {
  const strip = (rows: Row[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
  const rounds = (await idbAll<Row>(page, 'rounds')).filter((r) => r.id === roundId);
  const of = async (table: string) => strip((await idbAll<Row>(page, table)).filter((r) => r.roundId === roundId));
  return { rounds: strip(rounds), attendance: await of('attendance'), notes: await of('notes'), stepTimings: await of('stepTimings') };
}

const phone = (username: string, password: string) => loggedInPhone(browser, app.url, username, password);

test('two phones run the same round offline, each starting it, and converge on one complete round', async () => {
  const coord = new ApiClient(app.url);
  const firstPassword = /eenmalig wachtwoord: (\S+)/.exec(app.logs())?.[1];
  assert.ok(firstPassword, 'the server printed the first coördinator password');
  await coord.login('coordinator', firstPassword!);
  const { groupId } = await coord.createGroup(GROUP, REGULARS);
  const passA = await coord.createBegeleider('anja', [groupId]);
  const passB = await coord.createBegeleider('bram', [groupId]);

  const a = await phone('anja', passA);
  const b = await phone('bram', passB);
  try {
    await a.context.setOffline(true);
    await b.context.setOffline(true);

    // Phone A starts today's round first and gets well into it.
    await openGroup(a.page, groupId);
    await button(a.page, 'Start de ronde van vandaag').click();
    await a.page.getByRole('heading', { name: 'Aanwezigheid' }).waitFor();
    const roundId = decodeURIComponent(new URL(a.page.url()).hash.replace(/^#\/ronde\//, ''));
    await markPresent(a.page, A_PRESENT);
    await button(a.page, 'Nieuwe deelnemer').click();
    await a.page.getByLabel('Voornaam of alias').fill(NEWCOMER);
    await a.page.getByRole('radio', { name: 'via een andere deelnemer' }).click();
    await button(a.page, 'Toevoegen en aanwezig').click();
    await attendanceButton(a.page, NEWCOMER).and(a.page.locator('[aria-pressed="true"]')).waitFor();
    await button(a.page, 'Start de opening').click();
    // The group's first round in the app: Karim really is new.
    await button(a.page, 'Ja, allemaal voor het eerst').click();
    await a.page.getByRole('heading', { name: 'Opening', exact: true }).waitFor();
    await a.page.getByRole('radio', { name: 'Blij nieuws' }).click();
    await addNoteHere(a.page, NOTE_A_OPENING);
    await nextStep(a.page, 'Verhaalkeuze');
    await a.page.getByRole('radio', { name: 'eenzaamheid' }).click();
    await addNoteHere(a.page, NOTE_A_KEUZE);

    // Phone B, still without network and without A's round, starts "today's round" itself: the same id.
    await openGroup(b.page, groupId);
    await button(b.page, 'Start de ronde van vandaag').click();
    await b.page.getByRole('heading', { name: 'Aanwezigheid' }).waitFor();
    assert.is(decodeURIComponent(new URL(b.page.url()).hash.replace(/^#\/ronde\//, '')), roundId, 'both phones derived the same round id');
    await markPresent(b.page, B_PRESENT);
    // The co-begeleider's timer: inloop, on to the opening, pause.
    await b.page.evaluate((id) => (location.hash = `#/ronde/${encodeURIComponent(id)}/timer`), roundId);
    await button(b.page, 'Start Inloop').click();
    await button(b.page, 'Volgende stap: Opening').click();
    await b.page.locator('.timer-step', { hasText: 'Opening' }).waitFor();
    await button(b.page, 'Pauze').click();
    await b.page.locator('.timer-paused').waitFor();
    // B also picks the chosen theme, later than A did (B's choice must win), and writes a note.
    await b.page.getByRole('link', { name: 'Naar de ronde' }).click();
    await button(b.page, 'Start de opening').click();
    await b.page.getByRole('heading', { name: 'Opening', exact: true }).waitFor();
    await nextStep(b.page, 'Verhaalkeuze');
    await b.page.getByRole('radio', { name: 'geld en armoede' }).click();
    await b.page.getByRole('radio', { name: 'geld en armoede' }).and(b.page.locator(':checked')).waitFor();
    await addNoteHere(b.page, NOTE_B_KEUZE);

    // A, later still, goes on to the verbreding and writes the mote.
    await nextStep(a.page, 'Verdieping');
    await nextStep(a.page, 'Verbreding');
    await a.page.getByLabel('De mote: de vraag waarmee de verbreding begon').fill(MOTE);
    await a.page.getByLabel('De mote: de vraag waarmee de verbreding begon').blur();
    await a.page.getByRole('status').filter({ hasText: 'Bewaard' }).waitFor();

    const aDevice = (await idbAll<{ key: string; value: string }>(a.page, 'meta')).find((m) => m.key === 'deviceId')!.value;
    const bDevice = (await idbAll<{ key: string; value: string }>(b.page, 'meta')).find((m) => m.key === 'deviceId')!.value;
    const before = { a: await roundData(a.page, roundId), b: await roundData(b.page, roundId) };
    assert.ok((await idbAll(a.page, 'outbox')).length > 0 && (await idbAll(b.page, 'outbox')).length > 0, 'both phones have changes waiting');

    // Back online: the 'online' trigger syncs; then each phone syncs by hand so each has seen the other's push.
    await a.context.setOffline(false);
    await b.context.setOffline(false);
    await syncViaUi(a.page);
    await syncViaUi(b.page);
    await syncViaUi(a.page);

    const dataA = await roundData(a.page, roundId);
    const dataB = await roundData(b.page, roundId);
    assert.equal(dataA, dataB, 'both phones hold the very same round, attendance, notes and step events');
    // Nothing either phone wrote offline was lost: every row of each survives, in the same or a later state.
    for (const [name, mine] of Object.entries(before)) {
      for (const table of ['attendance', 'notes', 'stepTimings'] as const) {
        for (const row of mine[table]) assert.ok(dataA[table].some((r) => r.id === row.id), `${name}'s ${table}/${row.id} survived`);
      }
    }
    const devices = new Set(dataA.stepTimings.map((s) => s.device));
    assert.ok(devices.has(aDevice) && devices.has(bDevice), 'step events of both phones are kept');
    const bEvents = dataA.stepTimings.filter((s) => s.device === bDevice).map((s) => `${s.step}:${s.kind}`);
    for (const e of ['inloop:start', 'inloop:stop', 'opening:start', 'opening:stop']) assert.ok(bEvents.includes(e), `B's timer event ${e} is kept`);
    const round = dataA.rounds[0];
    assert.is(round.werkvorm, 'blij-nieuws', "A's werkvorm survives B starting the round later");
    assert.is(round.chosenTheme, 'geld', 'the later chosen theme (B) wins');
    assert.is(round.mote, MOTE, "A's mote, written last");
    assert.is(round.status, 'bezig');

    const server = await coord.pullAll();
    const onServer = (table: string) => server.filter((r) => r.table === table && r.values.roundId === roundId).length;
    assert.is(onServer('notes'), 3, 'the server has all three notes');
    assert.is(onServer('stepTimings'), dataA.stepTimings.length, 'the server has every step event');
    assert.is(server.filter((r) => r.table === 'participants' && r.values.name === NEWCOMER).length, 1, 'the newcomer reached the server once');

    // What each phone shows, screen by screen.
    const shownA = await shownRound(a.page, roundId);
    const shownB = await shownRound(b.page, roundId);
    assert.equal(shownA, shownB, 'both phones show the same round');
    assert.is(shownA.count, '5 aanwezig');
    assert.equal(shownA.pressed, { Amina: true, Bas: true, Chantal: true, Dirk: true, Esra: false, Fatima: false, Karim: true });
    assert.ok(shownA.karimNew, 'the newcomer is marked new on both phones');
    assert.equal(shownA.openingNotes, [NOTE_A_OPENING]);
    assert.equal(shownA.keuzeNotes, [NOTE_A_KEUZE, NOTE_B_KEUZE].sort());
    assert.ok(shownA.werkvorm && shownA.themeGeld && !shownA.themeEenzaam);
    assert.is(shownA.mote, MOTE);
    assert.is(shownA.timerStep, shownA.currentRow);
  } catch (e) {
    await screenshot(a.page, 'two-phones-a');
    await screenshot(b.page, 'two-phones-b');
    throw e;
  }
});

test.run();
