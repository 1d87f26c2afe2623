import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { db } from '../../../src/data/db';
import { recordStep } from '../../../src/data/actions';
import { saveScreen } from '../../../src/data/round-queries';
import { RoundFlow } from '../../../src/app/round/RoundFlow';
import type { StepTiming } from '../../../src/shared/schema';
import { freshDb, getRound, makeGroup, tick, todaysRound } from './fixture';

test.before.each(() => freshDb('round-steps'));
test.after.each(() => cleanup());

async function events(roundId: string): Promise<string[]> {
  const rows = (await db().table('stepTimings').where('roundId').equals(roundId).toArray()) as StepTiming[];
  return rows.sort((a, b) => a.at - b.at || (a._h.step < b._h.step ? -1 : 1)).map((e) => `${e.kind} ${e.step}`);
}

const heading = (name: string) => screen.findByRole('heading', { level: 1, name });
/** Waits past the double-tap guard, as a person does between two steps. */
const next = async () => {
  await tick(320);
  fireEvent.click(screen.getByRole('button', { name: 'Volgende stap' }));
};

test('stepping through the five steps records stop/start events and a remount resumes at the same step', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await recordStep(r, [{ step: 'inloop', kind: 'start', at: Date.now() - 60_000 }]);
  const view = render(<RoundFlow roundId={r.id} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Start de opening' }));
  await heading('Opening');
  assert.ok(screen.getByText('Stap 1 van 5'));
  await waitFor(async () => assert.equal(await events(r.id), ['start inloop', 'stop inloop', 'start opening']));

  await next();
  await heading('Verhaalkeuze');
  assert.ok(screen.getByText('Stap 2 van 5'));
  await next();
  await heading('Verdieping');
  await waitFor(async () =>
    assert.equal((await events(r.id)).slice(3), ['stop opening', 'start verhaalkeuze', 'stop verhaalkeuze', 'start verdieping']),
  );

  view.unmount();
  render(<RoundFlow roundId={r.id} />);
  await heading('Verdieping');
  assert.ok(screen.getByText('Stap 3 van 5'), 'resumed after a reload');

  await next();
  await heading('Verbreding');
  await next();
  await heading('Afsluiting');
  await tick(320);
  fireEvent.click(screen.getByRole('button', { name: 'Naar de evaluatie' }));
  await heading('Evaluatie');
  await waitFor(async () => assert.equal((await events(r.id)).slice(-2), ['stop afsluiting', 'start uitloop']));
  assert.is((await events(r.id)).length, 13);
});

test('a double tap on "Volgende stap" moves one step, not two', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await saveScreen(r.id, { kind: 'step', index: 0 });
  render(<RoundFlow roundId={r.id} />);
  await heading('Opening');
  const btn = screen.getByRole('button', { name: 'Volgende stap' });
  fireEvent.click(btn);
  await heading('Verhaalkeuze');
  fireEvent.click(screen.getByRole('button', { name: 'Volgende stap' }));
  await tick(50);
  assert.ok(screen.getByRole('heading', { level: 1, name: 'Verhaalkeuze' }));
});

test('"Vorige" goes back a step and a latecomer can be ticked off in between, returning to the same step', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await saveScreen(r.id, { kind: 'step', index: 1 });
  render(<RoundFlow roundId={r.id} />);
  await heading('Verhaalkeuze');
  fireEvent.click(screen.getByRole('button', { name: 'Aanwezigheid' }));
  await heading('Aanwezigheid');
  fireEvent.click(screen.getByRole('button', { name: 'Terug naar Verhaalkeuze' }));
  await heading('Verhaalkeuze');
  fireEvent.click(screen.getByRole('button', { name: 'Vorige' }));
  await heading('Opening');
});

test('the rules card opens from a step with the six rules, takes focus, and gives it back when closed', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await saveScreen(r.id, { kind: 'step', index: 2 });
  render(<RoundFlow roundId={r.id} />);
  await heading('Verdieping');
  const opener = screen.getByRole('button', { name: 'Spelregels' });
  fireEvent.click(opener);
  const dialog = await screen.findByRole('dialog', { name: 'Spelregels' });
  const rules = [...dialog.querySelectorAll('li')].map((li) => li.textContent);
  assert.equal(rules, [
    'Luister naar elkaar.',
    'Spreek vanuit jezelf (ik).',
    'Houd het kort.',
    'Geen oordeel.',
    'Geen advies.',
    'Een lied, grap of gedicht mag altijd.',
  ]);
  assert.is(document.activeElement, screen.getByRole('button', { name: 'Sluiten' }));
  fireEvent.keyDown(dialog, { key: 'Escape' });
  await waitFor(() => assert.is(screen.queryByRole('dialog'), null));
  assert.is(document.activeElement, screen.getByRole('button', { name: 'Spelregels' }));
});

test('a step offers the timer for a co-begeleider on the same phone', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await saveScreen(r.id, { kind: 'step', index: 0 });
  render(<RoundFlow roundId={r.id} />);
  await heading('Opening');
  assert.is(screen.getByRole('link', { name: 'Timer' }).getAttribute('href'), `#/ronde/${r.id}/timer`);
});

test('a note over 1000 characters is refused with a clear error and the text stays; a good note is stored for its step', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await saveScreen(r.id, { kind: 'step', index: 3 });
  render(<RoundFlow roundId={r.id} />);
  await heading('Verbreding');
  const box = screen.getByLabelText('Notitie') as HTMLTextAreaElement;
  const long = 'x'.repeat(1001);
  fireEvent.input(box, { target: { value: long } });
  assert.ok(screen.getByText('1001 van 1000 tekens'), 'a live counter near the limit');
  fireEvent.click(screen.getByRole('button', { name: 'Notitie bewaren' }));
  await waitFor(() => assert.ok(screen.getByText(/Een notitie mag hoogstens 1000 tekens zijn/)));
  assert.is((screen.getByLabelText('Notitie') as HTMLTextAreaElement).value, long, 'nothing typed is lost');
  assert.is(await db().table('notes').count(), 0);
  assert.is(screen.queryByText('Notitie bewaard'), null, 'no success shown for a refused note');

  fireEvent.input(screen.getByLabelText('Notitie'), { target: { value: 'Veel herkenning bij geldzorgen.' } });
  fireEvent.click(screen.getByRole('button', { name: 'Notitie bewaren' }));
  await screen.findByText('Notitie bewaard');
  await screen.findByText('Veel herkenning bij geldzorgen.');
  const notes = await db().table('notes').toArray();
  assert.is(notes.length, 1);
  assert.is(notes[0].step, 'verbreding');
  assert.is((screen.getByLabelText('Notitie') as HTMLTextAreaElement).value, '');
});

test('round-form fields: themes counted up and down, one chosen theme, the mote saved on blur, a too-long mote kept with its error', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await saveScreen(r.id, { kind: 'step', index: 1 });
  const view = render(<RoundFlow roundId={r.id} />);
  await heading('Verhaalkeuze');
  fireEvent.click(screen.getByRole('button', { name: 'geld en armoede: één keer meer genoemd (nu 0)' }));
  await screen.findByRole('button', { name: 'geld en armoede: één keer meer genoemd (nu 1)' });
  fireEvent.click(screen.getByRole('button', { name: 'geld en armoede: één keer meer genoemd (nu 1)' }));
  fireEvent.click(screen.getByRole('button', { name: 'gezondheid: één keer meer genoemd (nu 0)' }));
  await waitFor(async () => assert.equal((await getRound(r.id)).themesRaised, { geld: 2, gezondheid: 1 }));
  fireEvent.click(await screen.findByRole('button', { name: 'gezondheid: één minder' }));
  await waitFor(async () => assert.equal((await getRound(r.id)).themesRaised, { geld: 2 }));
  fireEvent.click(screen.getByRole('radio', { name: 'geld en armoede' }));
  await waitFor(async () => assert.is((await getRound(r.id)).chosenTheme, 'geld'));
  view.unmount();

  await saveScreen(r.id, { kind: 'step', index: 3 });
  render(<RoundFlow roundId={r.id} />);
  await heading('Verbreding');
  const mote = screen.getByLabelText('De mote: de vraag waarmee de verbreding begon');
  fireEvent.input(mote, { target: { value: 'Wie kent dat, geldzorgen die je niet durft te delen?' } });
  fireEvent.blur(mote);
  await waitFor(async () => assert.is((await getRound(r.id)).mote, 'Wie kent dat, geldzorgen die je niet durft te delen?'));
  await screen.findByText('Bewaard');

  const tooLong = 'w'.repeat(301);
  fireEvent.input(mote, { target: { value: tooLong } });
  fireEvent.blur(mote);
  await screen.findByText('Mote mag hoogstens 300 tekens zijn');
  assert.is((screen.getByLabelText('De mote: de vraag waarmee de verbreding begon') as HTMLTextAreaElement).value, tooLong);
  assert.is((await getRound(r.id)).mote, 'Wie kent dat, geldzorgen die je niet durft te delen?');
  assert.is(screen.queryByText('Bewaard'), null, 'no "Bewaard" for a refused value');

  await next();
  await heading('Afsluiting');
  fireEvent.click(screen.getByRole('button', { name: 'Vorige' }));
  await heading('Verbreding');
  assert.is((screen.getByLabelText('De mote: de vraag waarmee de verbreding begon') as HTMLTextAreaElement).value, tooLong, 'kept across steps');
  await screen.findByText('Mote mag hoogstens 300 tekens zijn');
});

test.run();
