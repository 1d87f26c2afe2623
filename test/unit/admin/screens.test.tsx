// The coördinator screens as a coördinator uses them: forms keep what was typed, refusals are in Dutch, writes land locally.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { LkDb, db, useDb } from '../../../src/data/db';
import { cancelRound as cancelRoundWithReason, createGroup, createLocation, startRound } from '../../../src/data/actions';
import { write } from '../../../src/data/write';
import { roundId } from '../../../src/shared/ids';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import type { Category, Group, Participant, Round, Story } from '../../../src/shared/schema';
import { AdminHome } from '../../../src/app/admin/AdminHome';
import { planRounds } from '../../../src/app/admin/data';
import { addDays } from '../../../src/shared/agenda';
import { localDate } from '../../../src/shared/ids';

let n = 0;
test.before.each(() => {
  useDb(new LkDb(`admin-screens-${++n}-${Date.now()}`));
  location.hash = '#/beheer';
});
test.after.each(() => cleanup());

async function makeGroup(name = 'Dinsdaggroep'): Promise<Group> {
  const locationId = await createLocation({ name: 'Buurthuis De Linde', wijk: 'Oost', address: '' });
  const id = await createGroup({ name, locationId, rhythm: 'wekelijks' });
  return (await db().table('groups').get(id)) as Group;
}

const type = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });

test('the menu links to every section', () => {
  render(<AdminHome />);
  for (const name of ['Locaties', 'Groepen', 'Lijsten', 'Deelnemers', 'Agenda', 'Verhalen']) {
    assert.ok(screen.getByRole('link', { name: new RegExp(`^${name}`) }));
  }
});

test('a location without a name shows the Dutch error next to the field and keeps what was typed', async () => {
  render(<AdminHome section="locaties" />);
  fireEvent.click(screen.getByRole('button', { name: 'Nieuwe locatie' }));
  type(screen.getByRole('textbox', { name: 'Wijk' }), 'Noord');
  type(screen.getByRole('textbox', { name: 'Adres van het buurthuis (niet verplicht)' }), 'Lindeplein 3');
  fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
  const name = screen.getByRole('textbox', { name: 'Naam' });
  await waitFor(() => assert.is(name.getAttribute('aria-invalid'), 'true'));
  assert.is(document.getElementById(name.getAttribute('aria-describedby')!)?.textContent, 'Naam mag niet leeg zijn');
  assert.is((screen.getByRole('textbox', { name: 'Wijk' }) as HTMLInputElement).value, 'Noord');
  assert.is((screen.getByRole('textbox', { name: 'Adres van het buurthuis (niet verplicht)' }) as HTMLInputElement).value, 'Lindeplein 3');
  assert.is(await db().table('locations').count(), 0);

  type(name, 'Buurthuis De Linde');
  fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
  await screen.findByRole('button', { name: 'Bewerk Buurthuis De Linde' });
  const [stored] = await db().table('locations').toArray();
  assert.is(stored.wijk, 'Noord');
  assert.is(stored.groupId, null);
  assert.is(await db().outbox.count(), 1);
});

test('a group form shows the step plan total and refuses a step without minutes', async () => {
  const g = await makeGroup();
  render(<AdminHome section="groepen" id={g.id} />);
  await screen.findByRole('heading', { name: 'Groep bewerken' });
  assert.ok(screen.getByText('Totaal: 2 uur en 30 minuten'));
  const verdieping = screen.getByRole('spinbutton', { name: 'Verdieping, minuten' });
  type(verdieping, '45');
  await screen.findByText('Totaal: 2 uur en 45 minuten');
  type(verdieping, '');
  fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
  await waitFor(() => assert.is(verdieping.getAttribute('aria-invalid'), 'true'));
  assert.equal(((await db().table('groups').get(g.id)) as Group).plan, DEFAULT_PLAN);
  type(verdieping, '40');
  fireEvent.click(screen.getByRole('checkbox', { name: 'Groep is actief' }));
  fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
  await waitFor(async () => assert.is(((await db().table('groups').get(g.id)) as Group).plan.verdieping, 40));
  assert.is(((await db().table('groups').get(g.id)) as Group).active, false);
});

test('the begeleiders panel explains calmly when the server cannot be asked, and the form still works', async () => {
  const g = await makeGroup();
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response(JSON.stringify({ error: 'Alleen voor coördinatoren' }), { status: 403 });
  try {
    render(<AdminHome section="groepen" id={g.id} />);
    await screen.findByText(/Alleen voor coördinatoren, en alleen met verbinding/);
    assert.ok(screen.getByRole('button', { name: 'Opnieuw proberen' }));
    assert.ok(screen.getByRole('button', { name: 'Opslaan' }));
  } finally {
    globalThis.fetch = realFetch;
  }
});

test('a story without consent is refused with the Dutch message and nothing typed is lost', async () => {
  const g = await makeGroup();
  render(<AdminHome section="verhalen" />);
  fireEvent.click(await screen.findByRole('button', { name: 'Nieuw verhaal' }));
  fireEvent.change(screen.getByRole('combobox', { name: 'Groep' }), { target: { value: g.id } });
  type(screen.getByRole('textbox', { name: 'Pseudoniem' }), 'Roos');
  type(screen.getByRole('textbox', { name: 'Verhaal of citaat' }), 'Hier voel ik me gehoord.');
  fireEvent.click(screen.getByRole('checkbox', { name: 'Eenzaamheid' }));
  fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
  await screen.findByText('Zonder toestemming wordt het verhaal niet bewaard');
  assert.is(await db().table('stories').count(), 0);
  assert.is((screen.getByRole('textbox', { name: 'Verhaal of citaat' }) as HTMLTextAreaElement).value, 'Hier voel ik me gehoord.');
  assert.ok((screen.getByRole('checkbox', { name: 'Eenzaamheid' }) as HTMLInputElement).checked);

  fireEvent.click(screen.getByRole('checkbox', { name: 'De deelnemer geeft toestemming om dit verhaal te gebruiken' }));
  fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
  await screen.findByText('Hier voel ik me gehoord.');
  const [s] = (await db().table('stories').toArray()) as Story[];
  assert.is(s.groupId, g.id);
  assert.is(s.consent, true);
  assert.equal(s.themes, ['eenzaamheid']);
});

test('stories are filtered by theme and period', async () => {
  const g = await makeGroup();
  const story = { pseudonym: 'Ali', age: null, consent: true as const };
  await write('stories', 's1', g.id, { ...story, quote: 'Over geld', themes: ['geld'], date: '2026-03-01' });
  await write('stories', 's2', g.id, { ...story, quote: 'Over werk', themes: ['werk'], date: '2026-09-01' });
  render(<AdminHome section="verhalen" />);
  await screen.findByText('Over geld');
  fireEvent.change(screen.getByRole('combobox', { name: 'Filter op thema' }), { target: { value: 'werk' } });
  await waitFor(() => assert.is(screen.queryByText('Over geld'), null));
  assert.ok(screen.getByText('Over werk'));
  fireEvent.change(screen.getByRole('combobox', { name: 'Filter op thema' }), { target: { value: '' } });
  fireEvent.input(screen.getByLabelText('Tot en met datum'), { target: { value: '2026-06-30' } });
  await waitFor(() => assert.is(screen.queryByText('Over werk'), null));
  assert.ok(screen.getByText('Over geld'));
});

test('planning from the agenda creates planned rounds with derived ids', async () => {
  const g = await makeGroup();
  render(<AdminHome section="agenda" id={g.id} />);
  const from = await screen.findByLabelText('Vanaf');
  const start = addDays(localDate(), 1);
  fireEvent.input(from, { target: { value: start } });
  type(screen.getByRole('spinbutton', { name: 'Aantal rondes' }), '3');
  fireEvent.click(await screen.findByRole('button', { name: 'Plan 3 rondes' }));
  await waitFor(async () => assert.is(await db().table('rounds').count(), 3));
  const r = (await db().table('rounds').get(roundId(g.id, start))) as Round;
  assert.is(r.status, 'gepland');
  assert.is(r.locationId, g.locationId);
  assert.ok(await db().table('rounds').get(roundId(g.id, addDays(start, 14))));
});

test('cancelling a planned round keeps it as geannuleerd, struck through', async () => {
  const g = await makeGroup();
  const date = addDays(localDate(), 3);
  await planRounds(g, [date]);
  render(<AdminHome section="agenda" id={g.id} />);
  const cancel = await screen.findByRole('button', { name: /^Annuleer de ronde van / });
  fireEvent.click(cancel);
  await screen.findByRole('button', { name: /^Plan de ronde van .* weer in$/ });
  const r = (await db().table('rounds').get(roundId(g.id, date))) as Round;
  assert.is(r.status, 'geannuleerd');
  assert.not.ok(r._d);
  assert.ok(document.querySelector('s'), 'the date is shown struck through');
  assert.ok(screen.getByText('Geannuleerd'));
  // Planning it in again is an explicit reopen, which the forward-only status merge lets through.
  fireEvent.click(screen.getByRole('button', { name: /^Plan de ronde van .* weer in$/ }));
  await screen.findByRole('button', { name: /^Annuleer de ronde van / });
  const back = (await db().table('rounds').get(roundId(g.id, date))) as Round;
  assert.is(back.status, 'gepland');
  assert.is(back.reopenReason, 'Weer ingepland in de agenda');
});

test("a begeleider's reason for cancelling shows in the agenda", async () => {
  const g = await makeGroup();
  const id = await startRound(g, { date: addDays(localDate(), 1) });
  await cancelRoundWithReason({ id, groupId: g.id }, 'Per ongeluk gestart');
  render(<AdminHome section="agenda" id={g.id} />);
  await screen.findByText('Reden: Per ongeluk gestart');
});

test('a planned round with attendance cannot be moved; the screen says why', async () => {
  const g = await makeGroup();
  const date = addDays(localDate(), 3);
  await planRounds(g, [date]);
  const id = roundId(g.id, date);
  await write('attendance', `${id}|p1`, g.id, { roundId: id, participantId: 'p1', present: true });
  render(<AdminHome section="agenda" id={g.id} />);
  fireEvent.click(await screen.findByRole('button', { name: /^Verzet de ronde van / }));
  await screen.findByText('Deze ronde is al begonnen of heeft gegevens; de datum blijft staan.');
  assert.is(screen.queryByLabelText(/^Nieuwe datum voor/), null);
});

test('linking two participants of different groups gives both the same person id', async () => {
  const a = await makeGroup('Dinsdaggroep');
  const b = await makeGroup('Vrijdaggroep');
  const base = { firstVisit: '2026-01-06', foundVia: 'flyer' as const, status: 'actief' as const, gender: null, ageBand: null, consentDate: null, personId: null };
  await write('participants', 'pa', a.id, { ...base, name: 'Fatima' });
  await write('participants', 'pb', b.id, { ...base, name: 'Fatima B.' });
  render(<AdminHome section="deelnemers" id={a.id} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Bewerk Fatima' }));
  fireEvent.change(screen.getByRole('combobox', { name: 'Kies de deelnemer in de andere groep' }), { target: { value: 'pb' } });
  fireEvent.click(screen.getByRole('button', { name: 'Koppelen' }));
  await waitFor(async () => assert.ok(((await db().table('participants').get('pa')) as Participant).personId));
  const pa = (await db().table('participants').get('pa')) as Participant;
  const pb = (await db().table('participants').get('pb')) as Participant;
  assert.is(pa.personId, pb.personId);
  assert.is(pb.groupId, b.id, 'each record stays in its own group');
  await screen.findByText('Gekoppeld aan: Fatima B. (Vrijdaggroep)');
});

test('participant details are edited with optional fields left empty as null', async () => {
  const g = await makeGroup();
  await write('participants', 'p1', g.id, { name: 'Joop', firstVisit: '2026-01-06', foundVia: 'onbekend', status: 'actief', gender: null, ageBand: null, consentDate: null, personId: null });
  render(<AdminHome section="deelnemers" id={g.id} />);
  assert.ok(await screen.findByRole('note'));
  fireEvent.click(await screen.findByRole('button', { name: 'Bewerk Joop' }));
  fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'gestopt' } });
  fireEvent.change(screen.getByRole('combobox', { name: 'Hoe gevonden' }), { target: { value: 'buurtverbinder' } });
  fireEvent.change(screen.getByRole('combobox', { name: 'Leeftijdsgroep (niet verplicht)' }), { target: { value: '55-66' } });
  fireEvent.click(within(screen.getByRole('listitem')).getByRole('button', { name: 'Opslaan' }));
  await waitFor(async () => assert.is(((await db().table('participants').get('p1')) as Participant).status, 'gestopt'));
  const p = (await db().table('participants').get('p1')) as Participant;
  assert.is(p.foundVia, 'buurtverbinder');
  assert.is(p.ageBand, '55-66');
  assert.is(p.gender, null);
  // The list's status badge: the form may still be open for a moment after the save, with the same text in its <select>.
  await screen.findByText('Tijdelijk gestopt', { selector: '.admin-badge' });
});

test('a default category is renamed and switched off, never deleted', async () => {
  render(<AdminHome section="categorieen" />);
  fireEvent.click(await screen.findByRole('button', { name: 'Hernoem Geld en armoede' }));
  type(screen.getByRole('textbox', { name: 'Nieuwe naam voor Geld en armoede' }), 'Geldzorgen');
  fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
  await waitFor(async () => assert.is(((await db().table('categories').get('c.theme.geld')) as Category | undefined)?.label, 'Geldzorgen'));
  fireEvent.click(await screen.findByRole('button', { name: 'Zet Geldzorgen uit' }));
  await screen.findByRole('button', { name: 'Zet Geldzorgen weer aan' });
  const c = (await db().table('categories').get('c.theme.geld')) as Category;
  assert.equal({ kind: c.kind, key: c.key, label: c.label, active: c.active }, { kind: 'theme', key: 'geld', label: 'Geldzorgen', active: false });
  assert.is(c.groupId, null);
});

test('adding a category that already exists is refused in Dutch', async () => {
  render(<AdminHome section="categorieen" />);
  const field = await screen.findByRole('textbox', { name: "Nieuwe categorie in thema's" });
  type(field, 'Eenzaamheid');
  fireEvent.click(within(field.closest('section')!).getByRole('button', { name: 'Toevoegen' }));
  await screen.findByText('Deze categorie bestaat al');
  type(field, 'Mantelzorg');
  fireEvent.click(within(field.closest('section')!).getByRole('button', { name: 'Toevoegen' }));
  await screen.findByRole('button', { name: 'Hernoem Mantelzorg' });
  assert.ok(await db().table('categories').get('c.theme.mantelzorg'));
});

test('the coördinator pastes a list to start an existing group: a wrong line stores nothing and says which; then all are added, none a newcomer', async () => {
  const g = await makeGroup();
  await write('participants', 'p1', g.id, { name: 'Joop', firstVisit: '2026-01-06', foundVia: 'onbekend', status: 'actief', gender: null, ageBand: null, consentDate: null, personId: null });
  render(<AdminHome section="deelnemers" id={g.id} />);
  fireEvent.click(await screen.findByText('Deelnemers toevoegen'));
  const list = screen.getByLabelText('Namen, één per regel');
  type(list, 'Fatima 2021-03-04\nBas 4-3-2021\nChantal\nJoop\nDirk 31-2-2020');
  fireEvent.click(screen.getByRole('button', { name: 'Toevoegen' }));
  const alert = await screen.findByRole('alert');
  assert.ok(within(alert).getByText('Regel 4: Joop staat al in deze groep'));
  assert.ok(within(alert).getByText('Regel 5: Ongeldige datum “31-2-2020”: schrijf 2021-03-04 of 4-3-2021'));
  assert.ok(within(alert).getByText('Er is niets opgeslagen; verbeter de regels hierboven.'));
  assert.is((await db().table('participants').count()), 1, 'nothing half-saved');
  assert.is((list as HTMLTextAreaElement).value.split('\n').length, 5, 'the list is kept for correcting');

  type(list, 'Fatima 2021-03-04\nBas 4-3-2021\nChantal');
  fireEvent.change(screen.getByRole('combobox', { name: 'Hoe gevonden (voor iedereen op de lijst)' }), { target: { value: 'begeleider' } });
  fireEvent.click(screen.getByRole('button', { name: 'Toevoegen' }));
  await waitFor(async () => assert.is(await db().table('participants').count(), 4));
  const all = (await db().table('participants').toArray()) as Participant[];
  const by = (name: string) => all.find((p) => p.name === name)!;
  assert.is(by('Fatima').firstVisit, '2021-03-04');
  assert.is(by('Bas').firstVisit, '2021-03-04');
  assert.is(by('Chantal').firstVisit, null);
  assert.is(by('Chantal').cameBefore, true);
  assert.is(by('Chantal').foundVia, 'begeleider');
  assert.is(by('Chantal').groupId, g.id);
  await screen.findByText(/Eerste keer: eerder, datum onbekend/);
  assert.is((list as HTMLTextAreaElement).value, '', 'the list is emptied once stored');
});

test('a begeleider gets no edit forms for the coördinator’s data: Beheer lists only their sections, the rest says it is for coördinators', async () => {
  const g = await makeGroup();
  await db().meta.put({ key: 'user', value: { id: 'u-beg', username: 'anna', role: 'begeleider', groups: [g.id] } });
  render(<AdminHome />);
  await screen.findByText(/Je bent ingelogd als begeleider/);
  for (const name of ['Locaties', 'Groepen', 'Lijsten', 'Logboek']) assert.is(screen.queryByRole('link', { name: new RegExp(`^${name}`) }), null, `${name} hidden`);
  for (const name of ['Deelnemers', 'Agenda', 'Verhalen']) assert.ok(screen.getByRole('link', { name: new RegExp(`^${name}`) }));
  assert.is(screen.queryByRole('link', { name: 'Back-up van een telefoon importeren' }), null);
  cleanup();
  for (const section of ['locaties', 'groepen', 'categorieen']) {
    render(<AdminHome section={section} />);
    await screen.findByText('Dit onderdeel is alleen voor coördinatoren. Vraag de coördinator om een wijziging.');
    assert.is(screen.queryByRole('button', { name: /^(Nieuwe locatie|Nieuwe groep|Hernoem )/ }), null, `${section}: no edit form`);
    assert.is(screen.queryAllByRole('textbox').length, 0, `${section}: nothing to type in`);
    cleanup();
  }
  render(<AdminHome section="deelnemers" />);
  await screen.findByRole('link', { name: /Dinsdaggroep/ });
  assert.is(screen.queryByText(/Bewaartermijn|bewaartermijn/), null, 'the retention setting is the coördinator’s');
  cleanup();
  await write('participants', 'pb1', g.id, { name: 'Joop', firstVisit: '2026-01-06', foundVia: 'onbekend', status: 'actief', gender: null, ageBand: null, consentDate: null, personId: null });
  render(<AdminHome section="deelnemers" id={g.id} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Bewerk Joop' }));
  assert.ok(screen.getByRole('combobox', { name: 'Status' }), 'the begeleider edits their own participant');
  await waitFor(() => assert.is(screen.queryByRole('button', { name: /wissen|Wissen|exporteren|Exporteren/ }), null, 'no AVG export or erasure'));
});

test('the coördinator corrects a held round’s duration in the agenda: what the report counts, refused in Dutch when wrong', async () => {
  const g = await makeGroup();
  const date = addDays(localDate(), -14);
  const start = Date.parse(`${date}T18:00:00Z`);
  const id = roundId(g.id, date);
  await write('rounds', id, g.id, {
    date, locationId: g.locationId, begeleiders: [], status: 'afgerond', startedAt: start, endedAt: start + 4 * 60_000, werkvorm: null,
    plan: DEFAULT_PLAN, themesRaised: {}, chosenTheme: null, mote: '', strategies: [], strategiesNote: '', closingWords: '',
  });
  render(<AdminHome section="agenda" id={g.id} />);
  await screen.findByText('Telt 4 min in het jaarverslag');
  fireEvent.click(screen.getByRole('button', { name: /^Duur van de ronde van .* aanpassen$/ }));
  const field = screen.getByLabelText(/^Duur van de ronde van .*, in minuten$/);
  type(field, '0');
  fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
  await screen.findByText(/Minstens 1 minuut/);
  assert.is(((await db().table('rounds').get(id)) as Round).durationMin, undefined, 'nothing stored');
  type(field, '150');
  fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
  await screen.findByText('Telt 2 u 30 min in het jaarverslag');
  assert.is(((await db().table('rounds').get(id)) as Round).durationMin, 150);
});

test.run();
