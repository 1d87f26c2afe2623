import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { LkDb, db, useDb } from '../../../src/data/db';
import { createGroup, createLocation, endRound, startRound, updateGroup } from '../../../src/data/actions';
import { write } from '../../../src/data/write';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import { formatDate } from '../../../src/app/groups/format';
import type { Group } from '../../../src/shared/schema';
import { Home } from '../../../src/app/groups/Home';
import { localDate, roundId } from '../../../src/shared/ids';
import { LocaleContext } from '../../../src/app/i18n';

let n = 0;
test.before.each(() => {
  useDb(new LkDb(`home-test-${++n}-${Date.now()}`));
  location.hash = '#/';
});
test.after.each(() => cleanup());

const type = (label: string | RegExp, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });

test('with no groups the screen explains what to do first and links to sync and log-in', async () => {
  render(<Home />);
  await screen.findByText(/nog geen groepen/);
  assert.ok(screen.getByText(/eerst de locatie/));
  const link = screen.getByRole('link', { name: 'Synchroniseren en inloggen' });
  assert.is(link.getAttribute('href'), '#/sync');
  // The form is open and, with no location yet, asks for a new one directly.
  assert.ok(screen.getByLabelText(/Naam van de locatie/));
});

test('creating a location and a group stores both and opens the new group', async () => {
  render(<Home />);
  await screen.findByLabelText('Naam van de groep');
  type('Naam van de groep', 'Luistergroep Oost');
  type(/Naam van de locatie/, 'Buurthuis De Boom');
  type('Wijk', 'Oost');
  type(/Adres van de locatie/, 'Boomstraat 1');
  fireEvent.change(screen.getByLabelText('Hoe vaak komt de groep samen?'), { target: { value: 'tweewekelijks' } });
  fireEvent.click(screen.getByRole('button', { name: 'Groep aanmaken' }));
  await waitFor(() => assert.match(location.hash, /^#\/groep\/g/));
  const groups = (await db().table('groups').toArray()) as Group[];
  const locations = await db().table('locations').toArray();
  assert.is(groups.length, 1);
  assert.is(locations.length, 1);
  assert.is(groups[0].name, 'Luistergroep Oost');
  assert.is(groups[0].rhythm, 'tweewekelijks');
  assert.is(groups[0].locationId, locations[0].id);
  assert.is(groups[0].plan.verdieping, 30);
  assert.is(locations[0].address, 'Boomstraat 1');
  assert.is(location.hash, `#/groep/${groups[0].id}`);
});

test('empty fields get a Dutch message each, nothing is stored and what was typed stays', async () => {
  render(<Home />);
  await screen.findByLabelText('Naam van de groep');
  type('Wijk', 'Noord');
  fireEvent.click(screen.getByRole('button', { name: 'Groep aanmaken' }));
  await screen.findAllByText('Naam mag niet leeg zijn');
  const groupName = screen.getByLabelText('Naam van de groep');
  assert.is(groupName.getAttribute('aria-invalid'), 'true');
  assert.is(document.getElementById(groupName.getAttribute('aria-describedby')!)?.textContent, 'Naam mag niet leeg zijn');
  const locName = screen.getByLabelText(/Naam van de locatie/);
  assert.is(document.getElementById(locName.getAttribute('aria-describedby')!)?.textContent, 'Naam mag niet leeg zijn');
  assert.is(screen.getByLabelText('Wijk').getAttribute('aria-invalid'), null);
  assert.is((screen.getByLabelText('Wijk') as HTMLInputElement).value, 'Noord');
  await waitFor(() => assert.is(document.activeElement, groupName));
  assert.is(await db().table('groups').count(), 0);
  assert.is(await db().table('locations').count(), 0);
});

test('with existing locations a group must pick one, and can use it without making a new location', async () => {
  const lid = await createLocation({ name: 'Buurtkamer West', wijk: 'West' });
  render(<Home />);
  const picker = await screen.findByLabelText('Locatie');
  await waitFor(() => assert.ok(screen.getByRole('option', { name: 'Buurtkamer West · West' })));
  type('Naam van de groep', 'Dinsdaggroep');
  fireEvent.click(screen.getByRole('button', { name: 'Groep aanmaken' }));
  await screen.findByText('Kies een locatie of maak een nieuwe');
  assert.is(await db().table('groups').count(), 0);
  fireEvent.change(picker, { target: { value: lid } });
  fireEvent.click(screen.getByRole('button', { name: 'Groep aanmaken' }));
  await waitFor(() => assert.match(location.hash, /^#\/groep\//));
  const [g] = (await db().table('groups').toArray()) as Group[];
  assert.is(g.locationId, lid);
  assert.is(await db().table('locations').count(), 1);
});

test('groups show location and wijk; a running round gets a badge and a big way back in; inactive groups are folded away', async () => {
  const lid = await createLocation({ name: 'Buurthuis De Boom', wijk: 'Oost' });
  const gid = await createGroup({ name: 'Maandaggroep', locationId: lid, rhythm: 'wekelijks' });
  const oldId = await createGroup({ name: 'Oude groep', locationId: lid, rhythm: 'maandelijks' });
  await updateGroup({ id: oldId }, { active: false });
  const group = (await db().table('groups').get(gid)) as Group;
  const rid = await startRound(group);
  render(<Home />);
  await screen.findByRole('link', { name: 'Maandaggroep' });
  assert.ok(screen.getAllByText('Buurthuis De Boom · Oost').length >= 1);
  assert.ok(screen.getByText('bezig'));
  const cont = screen.getByRole('link', { name: 'Verder met de ronde van Maandaggroep' });
  assert.is(cont.getAttribute('href'), `#/ronde/${encodeURIComponent(rid)}`);
  const folded = screen.getByText('Niet-actieve groepen (1)').closest('details')!;
  assert.not.ok(folded.open);
  assert.ok(folded.textContent?.includes('Oude groep'));
});

test("every active group offers the co-begeleider's timer of today, also before this phone has the round (defect 2)", async () => {
  const lid = await createLocation({ name: 'Buurthuis De Boom', wijk: 'Oost' });
  const gid = await createGroup({ name: 'Maandaggroep', locationId: lid, rhythm: 'wekelijks' });
  render(<Home />);
  const link = await screen.findByRole('link', { name: 'Timer (co-begeleider)', description: 'Maandaggroep' });
  assert.is(link.getAttribute('href'), `#/ronde/${encodeURIComponent(roundId(gid, localDate()))}/timer`);
  assert.is(screen.getAllByRole('link', { name: /Maandaggroep/ }).length, 1, 'the name stays the group link’s alone');
});

test('in English the form and its messages are English', async () => {
  render(
    <LocaleContext.Provider value="en">
      <Home />
    </LocaleContext.Provider>,
  );
  await screen.findByLabelText('Name of the group');
  fireEvent.click(screen.getByRole('button', { name: 'Create group' }));
  await screen.findAllByText('This field must not be empty');
  assert.is(screen.queryByText(/mag niet leeg zijn/), null);
});

test('a group shows its last finished round and its next planned one', async () => {
  const lid = await createLocation({ name: 'Buurthuis De Boom', wijk: 'Oost' });
  const gid = await createGroup({ name: 'Maandaggroep', locationId: lid, rhythm: 'maandelijks' });
  const group = (await db().table('groups').get(gid)) as Group;
  await endRound({ id: await startRound(group, { date: '2026-10-05' }), groupId: gid });
  await endRound({ id: await startRound(group, { date: '2026-11-02' }), groupId: gid });
  await write('rounds', `r.${gid}.2099-01-05`, gid, { date: '2099-01-05', status: 'gepland', plan: DEFAULT_PLAN });
  render(<Home />);
  await screen.findByRole('link', { name: 'Maandaggroep' });
  assert.ok(screen.getByText(`Volgende ronde: ${formatDate('2099-01-05', 'nl')} · Laatste ronde: ${formatDate('2026-11-02', 'nl')}`));
  assert.is(screen.queryByText('bezig'), null);
  assert.is(screen.queryByRole('link', { name: /Verder met de ronde/ }), null);
});

test.run();
