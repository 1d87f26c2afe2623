import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { LkDb, db, useDb } from '../../../src/data/db';
import { addParticipant, createGroup, createLocation, endRound, setPresent, startRound } from '../../../src/data/actions';
import { write } from '../../../src/data/write';
import { localDate, roundId } from '../../../src/shared/ids';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import type { Group, Round } from '../../../src/shared/schema';
import { GroupPage } from '../../../src/app/groups/GroupPage';
import { formatDate } from '../../../src/app/groups/format';

let n = 0;
test.before.each(() => {
  useDb(new LkDb(`grouppage-test-${++n}-${Date.now()}`));
  location.hash = '#/';
});
test.after.each(() => cleanup());

async function makeGroup(): Promise<Group> {
  const lid = await createLocation({ name: 'Buurthuis De Boom', wijk: 'Oost' });
  const gid = await createGroup({ name: 'Maandaggroep', locationId: lid, rhythm: 'wekelijks' });
  return (await db().table('groups').get(gid)) as Group;
}

const today = () => localDate();

test("starting today's round stores a running round and opens it", async () => {
  const g = await makeGroup();
  render(<GroupPage groupId={g.id} />);
  await screen.findByRole('heading', { name: 'Maandaggroep' });
  assert.ok(screen.getByText('Buurthuis De Boom · Oost'));
  fireEvent.click(screen.getByRole('button', { name: 'Start de ronde van vandaag' }));
  const id = roundId(g.id, today());
  await waitFor(() => assert.is(location.hash, `#/ronde/${encodeURIComponent(id)}`));
  const r = (await db().table('rounds').get(id)) as Round;
  assert.is(r.status, 'bezig');
  assert.equal(r.plan, DEFAULT_PLAN);
});

test('with a round running today the button continues it and the timer is one tap away', async () => {
  const g = await makeGroup();
  const id = await startRound(g);
  render(<GroupPage groupId={g.id} />);
  const btn = await screen.findByRole('button', { name: 'Verder met de ronde van vandaag' });
  assert.is(screen.queryByRole('button', { name: 'Start de ronde van vandaag' }), null);
  assert.is(screen.getByRole('link', { name: 'Timer (co-begeleider)' }).getAttribute('href'), `#/ronde/${encodeURIComponent(id)}/timer`);
  fireEvent.click(btn);
  await waitFor(() => assert.is(location.hash, `#/ronde/${encodeURIComponent(id)}`));
  assert.is(await db().table('rounds').count(), 1);
});

test('after a finished round today, a second one needs an explicit choice', async () => {
  const g = await makeGroup();
  const first = await startRound(g);
  await endRound({ id: first, groupId: g.id });
  render(<GroupPage groupId={g.id} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Start de ronde van vandaag' }));
  const alert = await screen.findByRole('alert');
  assert.ok(within(alert).getByText('Er is vandaag al een ronde geweest'));
  assert.is(location.hash, '#/');
  assert.is(await db().table('rounds').count(), 1);
  fireEvent.click(within(alert).getByRole('button', { name: 'Toch een tweede ronde starten' }));
  const second = roundId(g.id, today(), 2);
  await waitFor(() => assert.is(location.hash, `#/ronde/${encodeURIComponent(second)}`));
  assert.is(((await db().table('rounds').get(second)) as Round).status, 'bezig');
  assert.is(((await db().table('rounds').get(first)) as Round).status, 'afgerond');
});

test("the co-begeleider's timer is offered before this phone has today's round, under the id both phones derive (defect 2)", async () => {
  const g = await makeGroup();
  render(<GroupPage groupId={g.id} />);
  const link = await screen.findByRole('link', { name: 'Timer (co-begeleider)' });
  assert.is(link.getAttribute('href'), `#/ronde/${encodeURIComponent(roundId(g.id, today()))}/timer`);
  assert.is(await db().table('rounds').count(), 0, 'offering the timer writes nothing');
});

test('a begeleider cancels an accidental round with a reason; the reason shows in the list, and a reopen needs one too (defect 8)', async () => {
  const g = await makeGroup();
  const rid = await startRound(g, { date: '2026-11-02' });
  render(<GroupPage groupId={g.id} />);
  fireEvent.click(await screen.findByRole('button', { name: /^Ronde van .* annuleren$/ }));
  fireEvent.click(screen.getByRole('button', { name: 'Annuleren bevestigen' }));
  await screen.findByText('Reden mag niet leeg zijn');
  assert.is(((await db().table('rounds').get(rid)) as Round).status, 'bezig', 'nothing without a reason');
  fireEvent.input(screen.getByLabelText('Waarom annuleer je deze ronde?'), { target: { value: 'Per ongeluk gestart' } });
  fireEvent.click(screen.getByRole('button', { name: 'Annuleren bevestigen' }));
  await screen.findByText(/geannuleerd: Per ongeluk gestart/);
  const cancelled = (await db().table('rounds').get(rid)) as Round;
  assert.is(cancelled.status, 'geannuleerd');
  assert.is(cancelled.cancelReason, 'Per ongeluk gestart');
  fireEvent.click(screen.getByRole('button', { name: /^Ronde van .* heropenen$/ }));
  fireEvent.input(screen.getByLabelText('Waarom heropen je deze ronde?'), { target: { value: 'Toch gehouden' } });
  fireEvent.click(screen.getByRole('button', { name: 'Heropenen bevestigen' }));
  await waitFor(async () => assert.is(((await db().table('rounds').get(rid)) as Round).status, 'bezig'));
  assert.is(((await db().table('rounds').get(rid)) as Round).reopenReason, 'Toch gehouden');
});

test('recent rounds show date, status and number present; participants show rounds attended', async () => {
  const g = await makeGroup();
  const rid = await startRound(g, { date: '2026-11-02' });
  const round = (await db().table('rounds').get(rid)) as Round;
  const ans = await addParticipant(round, { name: 'Ans', foundVia: 'flyer' });
  await addParticipant(round, { name: 'Bep', foundVia: 'begeleider' });
  const cor = await addParticipant(round, { name: 'Cor', foundVia: 'website' });
  await setPresent(round, cor, false);
  await endRound(round);
  const r2 = await startRound(g, { date: '2026-11-09' });
  await setPresent({ id: r2, groupId: g.id }, ans, true);
  await endRound({ id: r2, groupId: g.id });
  render(<GroupPage groupId={g.id} />);
  const first = await screen.findByRole('link', { name: /2 nov/ });
  assert.is(first.getAttribute('href'), `#/ronde/${encodeURIComponent(rid)}`);
  assert.match(first.textContent!, /afgerond · 2 aanwezig/);
  assert.match(screen.getByRole('link', { name: /9 nov/ }).textContent!, /1 aanwezig/);
  const rows = screen.getAllByRole('row').slice(1);
  assert.equal(
    rows.map((r) => within(r).getByRole('rowheader').textContent),
    ['Ans', 'Bep', 'Cor'],
  );
  assert.equal(
    rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent)),
    [
      ['actief', formatDate('2026-11-02', 'nl'), '2'],
      ['actief', formatDate('2026-11-02', 'nl'), '1'],
      ['actief', formatDate('2026-11-02', 'nl'), '0'],
    ],
  );
});

test('a planned round is listed and can be started', async () => {
  const g = await makeGroup();
  const date = '2099-01-05';
  const id = roundId(g.id, date);
  await write('rounds', id, g.id, {
    date,
    locationId: g.locationId,
    begeleiders: [],
    status: 'gepland',
    startedAt: null,
    endedAt: null,
    werkvorm: null,
    plan: DEFAULT_PLAN,
    themesRaised: {},
    chosenTheme: null,
    mote: '',
    strategies: [],
    strategiesNote: '',
    closingWords: '',
  });
  render(<GroupPage groupId={g.id} />);
  await screen.findByRole('heading', { name: 'Geplande rondes' });
  assert.is(screen.getByRole('link', { name: /Open de geplande ronde van/ }).getAttribute('href'), `#/ronde/${encodeURIComponent(id)}`);
  fireEvent.click(screen.getByRole('button', { name: /Start de geplande ronde van/ }));
  await waitFor(() => assert.is(location.hash, `#/ronde/${encodeURIComponent(id)}`));
  const r = (await db().table('rounds').get(id)) as Round;
  assert.is(r.status, 'bezig');
  assert.type(r.startedAt, 'number');
});

test('the step plan shows its total, refuses bad minutes per field and saves good ones', async () => {
  const g = await makeGroup();
  render(<GroupPage groupId={g.id} />);
  await screen.findByText('Totaal: 150 minuten (2,5 uur)');
  const opening = screen.getByLabelText(/^Opening/) as HTMLInputElement;
  const verdieping = screen.getByLabelText(/^Verdieping/) as HTMLInputElement;
  fireEvent.input(opening, { target: { value: '12,5' } });
  fireEvent.input(verdieping, { target: { value: '300' } });
  fireEvent.click(screen.getByRole('button', { name: 'Stappenplan opslaan' }));
  await screen.findByText('Alleen hele minuten, 0 tot 240');
  assert.ok(screen.getByText('Hoogstens 240 minuten'));
  assert.is(opening.getAttribute('aria-invalid'), 'true');
  assert.is(opening.value, '12,5');
  assert.equal(((await db().table('groups').get(g.id)) as Group).plan, DEFAULT_PLAN);
  fireEvent.input(opening, { target: { value: '25' } });
  fireEvent.input(verdieping, { target: { value: '' } });
  fireEvent.click(screen.getByRole('button', { name: 'Stappenplan opslaan' }));
  await screen.findByText('Vul een aantal minuten in');
  fireEvent.input(verdieping, { target: { value: '45' } });
  await screen.findByText('Totaal: 170 minuten (2,83 uur)');
  fireEvent.click(screen.getByRole('button', { name: 'Stappenplan opslaan' }));
  await waitFor(async () => assert.equal(((await db().table('groups').get(g.id)) as Group).plan, { ...DEFAULT_PLAN, opening: 25, verdieping: 45 }));
  assert.is(screen.queryByText('Alleen hele minuten, 0 tot 240'), null);
});

test('an unknown group says so and leads back', async () => {
  render(<GroupPage groupId="gnope" />);
  await screen.findByText(/staat niet op deze telefoon/);
  assert.is(screen.getByRole('link', { name: 'Terug naar de groepen' }).getAttribute('href'), '#/');
});

test.run();
