import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { db } from '../../../src/data/db';
import { RoundFlow } from '../../../src/app/round/RoundFlow';
import { attendanceId } from '../../../src/shared/ids';
import type { Participant } from '../../../src/shared/schema';
import { freshDb, makeGroup, pastRound, todaysRound } from './fixture';

test.before.each(() => freshDb('round-attendance'));
test.after.each(() => cleanup());

const row = (name: string | RegExp) => screen.findByRole('button', { name });

test('tapping a name marks them present, stores it, and the count follows; a second tap undoes it', async () => {
  const g = await makeGroup();
  const ids = new Map<string, string>();
  await pastRound(g, '2026-11-09', ['Ali', 'Bea'], ids);
  const r = await todaysRound(g);
  render(<RoundFlow roundId={r.id} />);
  const ali = await row('Ali');
  assert.is(ali.getAttribute('aria-pressed'), 'false');
  assert.ok(screen.getByText('0 aanwezig'));

  fireEvent.click(ali);
  await waitFor(() => assert.is(screen.getByRole('button', { name: 'Ali' }).getAttribute('aria-pressed'), 'true'));
  assert.ok(screen.getByText('1 aanwezig'));
  const stored = await db().table('attendance').get(attendanceId(r.id, ids.get('Ali')!));
  assert.is(stored?.present, true);
  assert.ok(screen.getByRole('button', { name: 'Ali' }).textContent?.includes('✓'), 'a visible tick');

  fireEvent.click(screen.getByRole('button', { name: 'Ali' }));
  await waitFor(() => assert.ok(screen.getByText('0 aanwezig')));
  assert.is((await db().table('attendance').get(attendanceId(r.id, ids.get('Ali')!)))?.present, false);
});

test('the list is sorted by last visit, most recent first, then by name; a finished participant is left out', async () => {
  const g = await makeGroup();
  const ids = new Map<string, string>();
  await pastRound(g, '2026-09-01', ['Ali', 'Dirk', 'Eva'], ids);
  await pastRound(g, '2026-10-01', ['Cas'], ids);
  await pastRound(g, '2026-11-09', ['Bea', 'Cas'], ids);
  await db().table('participants').update(ids.get('Eva')!, { status: 'afgerond' } as Partial<Participant>);
  const r = await todaysRound(g);
  render(<RoundFlow roundId={r.id} />);
  await row('Ali');
  const names = within(screen.getByRole('list')).getAllByRole('button').map((b) => b.textContent?.replace('✓', '').trim());
  assert.equal(names, ['Bea', 'Cas', 'Ali', 'Dirk']);
});

test('a newcomer needs a name: an empty name gets a Dutch error and the chosen option is kept; then they are added, present and "nieuw"', async () => {
  const g = await makeGroup();
  const ids = new Map<string, string>();
  await pastRound(g, '2026-11-09', ['Ali'], ids);
  const r = await todaysRound(g);
  render(<RoundFlow roundId={r.id} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Nieuwe deelnemer' }));
  assert.ok(screen.getByText('Alleen voornaam of alias — geen adres, telefoonnummer of diagnose.'));
  const flyer = screen.getByRole('radio', { name: 'flyer of poster' }) as HTMLInputElement;
  fireEvent.click(flyer);
  fireEvent.input(screen.getByLabelText('Voornaam of alias'), { target: { value: '   ' } });
  fireEvent.click(screen.getByRole('button', { name: 'Toevoegen en aanwezig' }));
  await waitFor(() => assert.ok(screen.getByText('Vul een voornaam of alias in.')));
  assert.ok((screen.getByRole('radio', { name: 'flyer of poster' }) as HTMLInputElement).checked, 'the chosen option is kept');
  assert.is((await db().table('participants').toArray()).length, 1, 'nothing stored');

  fireEvent.input(screen.getByLabelText('Voornaam of alias'), { target: { value: 'Fatima' } });
  fireEvent.click(screen.getByRole('button', { name: 'Toevoegen en aanwezig' }));
  const fatima = await row('Fatima nieuw');
  assert.is(fatima.getAttribute('aria-pressed'), 'true');
  assert.ok(screen.getByText('1 aanwezig'));
  const stored = (await db().table('participants').toArray()).find((p) => p.name === 'Fatima');
  assert.is(stored?.foundVia, 'flyer');
  assert.is(stored?.firstVisit, '2026-11-23');
  assert.is(screen.queryByLabelText('Voornaam of alias'), null, 'the form closes after adding');

  fireEvent.click(screen.getByRole('button', { name: 'Ali' }));
  await waitFor(() => assert.ok(screen.getByText('2 aanwezig')));
  assert.is(screen.getByRole('button', { name: 'Ali' }).getAttribute('aria-pressed'), 'true', 'a returning participant is not marked nieuw');
});

test('with more than 12 participants a search field filters the list', async () => {
  const g = await makeGroup();
  const ids = new Map<string, string>();
  const names = ['Ali', 'Bea', 'Cas', 'Dirk', 'Eva', 'Fenna', 'Gijs', 'Hanna', 'Ilse', 'Joost', 'Karim', 'Lotte', 'Mehmet'];
  await pastRound(g, '2026-11-09', names, ids);
  const r = await todaysRound(g);
  render(<RoundFlow roundId={r.id} />);
  await row('Ali');
  fireEvent.input(screen.getByLabelText('Zoek een naam'), { target: { value: 'meh' } });
  await waitFor(() => assert.equal(within(screen.getByRole('list')).getAllByRole('button').map((b) => b.textContent?.trim()), ['Mehmet']));
});

test.run();
