// AVG export, erasure and the retention setting on the coördinator's participants screen, against the real server app.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { AdminHome } from '../../../src/app/admin/AdminHome';
import { LocaleContext } from '../../../src/app/i18n';
import { LkDb, db, useDb } from '../../../src/data/db';
import { applyRemote } from '../../../src/data/write';
import { attendanceId, roundId } from '../../../src/shared/ids';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import { change, harness, uniq, type Client, type Harness } from '../server/harness';

let h: Harness;
let realFetch: typeof fetch;
let realCreate: typeof URL.createObjectURL;
let downloads: Blob[] = [];
let n = 0;

test.before(async () => {
  h = await harness('sqlite');
  realFetch = globalThis.fetch;
  realCreate = URL.createObjectURL;
});
test.after(async () => {
  globalThis.fetch = realFetch;
  URL.createObjectURL = realCreate;
  await h.close();
});
test.before.each(() => {
  useDb(new LkDb(`admin-privacy-${++n}-${Date.now()}`));
  downloads = [];
  // Observes what the page hands to the browser's download; the Blob itself is real.
  URL.createObjectURL = (b: Blob) => {
    downloads.push(b);
    return 'blob:test';
  };
});
test.after.each(() => {
  cleanup();
  globalThis.fetch = realFetch;
  delete (navigator as { onLine?: boolean }).onLine;
});

/** The page's fetch goes to the app in this process with this client's session cookie, body included. */
function as(client: Client) {
  globalThis.fetch = (async (input: string, init: RequestInit = {}) =>
    h.request(init.method ?? 'GET', String(input).replace(/^https?:\/\/[^/]+/, ''), { raw: init.body as string | undefined, headers: { cookie: client.cookie } })) as typeof fetch;
}

/** A group with Ans (present at two held rounds) on the server, and the same rows on this phone as a sync leaves them. */
async function seeded() {
  const coord = await h.user('coordinator');
  const g = uniq('g');
  const loc = `${g}-loc`;
  const pid = `${g}-ans`;
  const r1 = roundId(g, '2026-01-13');
  const r2 = roundId(g, '2026-02-10');
  const round = (date: string) => ({ date, locationId: loc, begeleiders: [], status: 'afgerond', startedAt: null, endedAt: null, werkvorm: null, plan: DEFAULT_PLAN, themesRaised: {}, chosenTheme: null, mote: '', strategies: [], strategiesNote: '', closingWords: '' });
  const res = await coord.sync(uniq('d'), await h.head(), [
    change(1, 'locations', loc, null, { name: 'Buurthuis De Linde', wijk: 'Oost' }),
    change(2, 'groups', g, g, { name: 'Dinsdaggroep', locationId: loc, rhythm: 'wekelijks', plan: DEFAULT_PLAN, begeleiders: [], active: true }),
    change(3, 'participants', pid, g, { name: 'Ans', firstVisit: '2026-01-13', foundVia: 'buurtverbinder', status: 'actief', gender: null, ageBand: null, consentDate: null, personId: null }),
    change(4, 'participants', `${g}-bas`, g, { name: 'Bas', firstVisit: null, foundVia: 'flyer', status: 'actief', gender: null, ageBand: null, consentDate: null, personId: null }),
    change(5, 'rounds', r1, g, round('2026-01-13')),
    change(6, 'rounds', r2, g, round('2026-02-10')),
    change(7, 'attendance', attendanceId(r1, pid), g, { roundId: r1, participantId: pid, present: true }),
    change(8, 'attendance', attendanceId(r2, pid), g, { roundId: r2, participantId: pid, present: true }),
    change(9, 'stories', `${g}-s`, g, { pseudonym: 'Ans', quote: 'Hier word ik gehoord.', themes: [], consent: true, date: '2026-02-10' }),
  ]);
  assert.equal(res.rejected, []);
  await applyRemote(res.changes);
  return { coord, g, pid };
}

async function openAns(g: string) {
  render(<AdminHome section="deelnemers" id={g} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Bewerk Ans' }));
}

test('export downloads the JSON and shows a readable summary in Dutch', async () => {
  const { coord, g, pid } = await seeded();
  as(coord);
  await openAns(g);
  fireEvent.click(screen.getByRole('button', { name: 'Gegevens exporteren' }));
  const summary = await screen.findByRole('region', { name: 'Gegevens van Ans' });
  const text = summary.textContent!;
  for (const part of ['Dinsdaggroep · Buurthuis De Linde', 'Aanwezig bij 2 rondes', '13 jan', '10 feb', 'Hier word ik gehoord.', 'Actief']) {
    assert.ok(text.includes(part), `summary shows ${part}: ${text}`);
  }
  assert.ok(/buurtverbinder/i.test(text), 'how she found the group, in words');
  assert.is(downloads.length, 1);
  const json = JSON.parse(await downloads[0].text());
  assert.is(json.participant.id, pid);
  assert.is(json.attendance.length, 2);
  assert.ok(screen.getByRole('button', { name: 'Afdrukken' }));
});

test('without a connection export and erasure say so in Dutch, and nothing is erased', async () => {
  const { coord, g, pid } = await seeded();
  as(coord);
  Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
  await openAns(g);
  fireEvent.click(screen.getByRole('button', { name: 'Gegevens exporteren' }));
  await screen.findByText(/Geen verbinding met de server/);
  fireEvent.click(screen.getByRole('button', { name: 'Wissen…' }));
  fireEvent.input(screen.getByRole('textbox', { name: 'Typ “Ans” om te bevestigen' }), { target: { value: 'Ans' } });
  fireEvent.click(screen.getByRole('button', { name: 'Definitief wissen' }));
  await waitFor(() => assert.ok(screen.getByRole('button', { name: 'Definitief wissen' }).getAttribute('aria-busy') !== 'true'));
  const row = await h.store.db.selectFrom('records').select('deleted').where('id', '=', pid).executeTakeFirstOrThrow();
  assert.is(row.deleted, null);
});

test('erasing asks for the name, names the consequence, then erases, reports and drops her from this phone', async () => {
  const { coord, g, pid } = await seeded();
  as(coord);
  await openAns(g);
  fireEvent.click(screen.getByRole('button', { name: 'Wissen…' }));
  assert.ok(screen.getByText(/Dit kan niet ongedaan worden gemaakt/));
  const typed = screen.getByRole('textbox', { name: 'Typ “Ans” om te bevestigen' });
  fireEvent.input(typed, { target: { value: 'Bas' } });
  fireEvent.click(screen.getByRole('button', { name: 'Definitief wissen' }));
  await waitFor(() => assert.is(typed.getAttribute('aria-invalid'), 'true'));
  assert.is(document.getElementById(typed.getAttribute('aria-describedby')!)?.textContent, 'Typ precies de naam “Ans” om te bevestigen');
  assert.is((await h.store.db.selectFrom('records').select('deleted').where('id', '=', pid).executeTakeFirstOrThrow()).deleted, null, 'a wrong name erases nothing');

  fireEvent.input(typed, { target: { value: ' ans ' } });
  fireEvent.click(screen.getByRole('button', { name: 'Definitief wissen' }));
  await screen.findByText(/Ans is gewist, met 2 aanwezigheidsregels/);
  const row = await h.store.db.selectFrom('records').select(['deleted', 'data']).where('id', '=', pid).executeTakeFirstOrThrow();
  assert.ok(row.deleted);
  assert.is(row.data, '{}');
  await waitFor(async () => assert.not.ok((await db().table('participants').get(pid))?.name, 'the sync after erasure dropped her here'), { timeout: 3000 });
  await waitFor(() => assert.not.ok(screen.queryByRole('button', { name: 'Bewerk Ans' })));
  assert.ok(screen.getByRole('button', { name: 'Bewerk Bas' }));
});

test('a begeleider’s session gets a clear refusal; the English screen speaks English', async () => {
  const { g } = await seeded();
  as(await h.user('begeleider', [g]));
  render(
    <LocaleContext.Provider value="en">
      <AdminHome section="deelnemers" id={g} />
    </LocaleContext.Provider>,
  );
  fireEvent.click(await screen.findByRole('button', { name: 'Edit Ans' }));
  fireEvent.click(screen.getByRole('button', { name: 'Export data' }));
  await screen.findByText('Log in as a coordinator (Sync screen) to do this.');
  fireEvent.click(screen.getByRole('button', { name: 'Erase…' }));
  assert.ok(screen.getByRole('textbox', { name: 'Type “Ans” to confirm' }));
  assert.ok(screen.getByText(/This cannot be undone/));
});

test('the retention period shows the default, refuses a non-number in Dutch, and stores a chosen period to sync', async () => {
  render(<AdminHome section="deelnemers" />);
  const field = (await screen.findByRole('textbox', { name: 'Maanden (0 tot 120)' })) as HTMLInputElement;
  assert.is(field.value, '12');
  fireEvent.input(field, { target: { value: 'een jaar' } });
  fireEvent.click(screen.getByRole('button', { name: 'Bewaartermijn opslaan' }));
  await waitFor(() => assert.is(field.getAttribute('aria-invalid'), 'true'));
  assert.is(field.value, 'een jaar', 'what was typed stays');
  fireEvent.input(field, { target: { value: '200' } });
  fireEvent.click(screen.getByRole('button', { name: 'Bewaartermijn opslaan' }));
  await waitFor(() => assert.is(document.getElementById(field.getAttribute('aria-describedby')!)?.textContent, 'Hoogstens 120 maanden'));
  fireEvent.input(field, { target: { value: '6' } });
  fireEvent.click(screen.getByRole('button', { name: 'Bewaartermijn opslaan' }));
  await waitFor(async () => assert.is((await db().table('settings').get('org'))?.noteRetentionMonths, 6));
  const [entry] = await db().outbox.toArray();
  assert.equal([entry.table, entry.groupId, entry.values], ['settings', null, { noteRetentionMonths: 6 }]);
  await waitFor(() => assert.is(field.value, '6'));
});

test.run();
