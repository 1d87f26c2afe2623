import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { db } from '../../../src/data/db';
import { addNote, addParticipant, recordStep, setPresent } from '../../../src/data/actions';
import { saveScreen } from '../../../src/data/round-queries';
import { RoundFlow } from '../../../src/app/round/RoundFlow';
import { evaluationId } from '../../../src/shared/ids';
import { useToasts } from '../../../src/app/toast';
import { freshDb, getRound, makeGroup, pastRound, todaysRound } from './fixture';

test.before.each(() => freshDb('round-evaluation'));
test.after.each(() => cleanup());

const heading = (name: string) => screen.findByRole('heading', { level: 1, name });
const score = (scale: 'Sfeer' | 'Veiligheid', n: number) => within(screen.getByRole('group', { name: scale })).getByRole('radio', { name: String(n) });

test('the evaluation needs both scores; then "Ronde afsluiten" stores it, ends the round and shows the summary', async () => {
  const g = await makeGroup();
  const ids = new Map<string, string>();
  await pastRound(g, '2026-11-09', ['Ali'], ids);
  const r = await todaysRound(g, '2026-11-23', Date.now() - 150 * 60_000);
  await setPresent(r, ids.get('Ali')!, true);
  await addParticipant(r, { name: 'Fatima', foundVia: 'flyer' });
  await addNote(r, 'Warme ronde.', 'opening');
  await recordStep(r, [{ step: 'uitloop', kind: 'start' }]);
  await saveScreen(r.id, { kind: 'evaluation' });
  render(<RoundFlow roundId={r.id} />);
  await heading('Evaluatie');

  fireEvent.click(score('Sfeer', 4));
  fireEvent.input(screen.getByLabelText('Wat ging goed?'), { target: { value: 'Iedereen kwam aan het woord.' } });
  fireEvent.click(screen.getByRole('button', { name: 'Ronde afsluiten' }));
  await waitFor(() => assert.ok(within(screen.getByRole('group', { name: 'Veiligheid' })).getByText('Kies 1 tot 5.')));
  assert.is((await getRound(r.id)).status, 'bezig', 'not ended while the evaluation is incomplete');
  assert.is((screen.getByLabelText('Wat ging goed?') as HTMLTextAreaElement).value, 'Iedereen kwam aan het woord.', 'typed text kept');

  fireEvent.click(score('Veiligheid', 5));
  fireEvent.click(screen.getByRole('button', { name: 'Ronde afsluiten' }));
  await heading('Samenvatting');
  const round = await getRound(r.id);
  assert.is(round.status, 'afgerond');
  assert.ok(round.endedAt);
  const ev = await db().table('evaluations').get(evaluationId(r.id));
  assert.is(ev?.atmosphere, 4);
  assert.is(ev?.safety, 5);
  assert.is(ev?.wentWell, 'Iedereen kwam aan het woord.');
  const timings = await db().table('stepTimings').where('roundId').equals(r.id).toArray();
  assert.ok(timings.some((e) => e.step === 'uitloop' && e.kind === 'stop'), 'the running step is stopped');

  const figure = (label: string) => screen.getByText(label).nextElementSibling?.textContent;
  await waitFor(() => assert.is(figure('Aanwezig'), '2'));
  assert.is(figure('Nieuw'), '1');
  assert.is(figure('Notities'), '1');
  assert.is(figure('Duur'), '2 u 30 min');
  assert.is(screen.getByRole('link', { name: 'Terug naar de groep' }).getAttribute('href'), `#/groep/${g.id}`);
});

test('a finished round opens on its summary, and its form fields can still be changed from there without timer events', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await saveScreen(r.id, { kind: 'evaluation' });
  const first = render(<RoundFlow roundId={r.id} />);
  await heading('Evaluatie');
  fireEvent.click(screen.getByRole('button', { name: 'Ronde afsluiten' }));
  await heading('Samenvatting');
  assert.is((await getRound(r.id)).status, 'afgerond', 'an empty evaluation does not block ending');
  first.unmount();
  await db().meta.delete(`ui:round:${r.id}`);

  render(<RoundFlow roundId={r.id} />);
  await heading('Samenvatting');
  const before = await db().table('stepTimings').count();
  fireEvent.click(screen.getByRole('button', { name: 'Opening' }));
  await heading('Opening');
  fireEvent.click(screen.getByRole('radio', { name: 'Blij nieuws' }));
  await waitFor(async () => assert.is((await getRound(r.id)).werkvorm, 'blij-nieuws'));
  fireEvent.click(screen.getByRole('button', { name: 'Volgende stap' }));
  await heading('Verhaalkeuze');
  assert.is(await db().table('stepTimings').count(), before, 'reviewing records no step timing');
  fireEvent.click(screen.getByRole('button', { name: 'Terug naar de samenvatting' }));
  await heading('Samenvatting');
});

function Messages() {
  const list = useToasts();
  return (
    <ul aria-label="Meldingen">
      {list.map((m) => (
        <li key={m.id}>{m.kind}</li>
      ))}
    </ul>
  );
}

test('"Ronde afsluiten" never claims success for a round that could not be ended', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await saveScreen(r.id, { kind: 'evaluation' });
  render(
    <>
      <RoundFlow roundId={r.id} />
      <Messages />
    </>,
  );
  await heading('Evaluatie');
  db().close();
  fireEvent.click(screen.getByRole('button', { name: 'Ronde afsluiten' }));
  await new Promise((res) => setTimeout(res, 100));
  assert.is(screen.queryByRole('heading', { level: 1, name: 'Samenvatting' }), null);
  assert.ok(screen.getByRole('heading', { level: 1, name: 'Evaluatie' }));
  // Closing the database also fails the screen's live queries, so there may be several errors.
  assert.ok(within(screen.getByRole('list', { name: 'Meldingen' })).getAllByText('error').length >= 1, 'the failure is shown as an error');
});

test.run();
