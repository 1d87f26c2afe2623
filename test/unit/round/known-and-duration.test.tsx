// Known participants and the explicit duration in the round flow: "kwam al eerder", the first round's question, and
// the duration the close confirms for the report.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { db } from '../../../src/data/db';
import { addParticipant, recordStep, setPresent } from '../../../src/data/actions';
import { saveScreen } from '../../../src/data/round-queries';
import { RoundFlow } from '../../../src/app/round/RoundFlow';
import { computeReport } from '../../../src/shared/report';
import { localDate } from '../../../src/shared/ids';
import { writeAll } from '../../../src/data/write';
import type { Participant } from '../../../src/shared/schema';
import { freshDb, getRound, makeGroup, pastRound, todaysRound } from './fixture';

test.before.each(() => freshDb('round-known'));
test.after.each(() => cleanup());

const M = 60_000;
const heading = (name: string | RegExp) => screen.findByRole('heading', { name });
const participants = async () => (await db().table('participants').toArray()) as Participant[];

async function report() {
  const t = (name: string) => db().table(name).toArray() as never;
  const input = {
    locations: await t('locations'),
    groups: await t('groups'),
    participants: await t('participants'),
    rounds: await t('rounds'),
    attendance: await t('attendance'),
    evaluations: await t('evaluations'),
    stories: await t('stories'),
    categories: await t('categories'),
  };
  return computeReport(input, { from: '2026-01-01', to: '2027-12-31' }, { today: '2028-01-01' });
}

test('"Kwam al eerder" in the newcomer form: no "nieuw" mark, stored as came-before, with the first visit when given', async () => {
  const g = await makeGroup();
  const ids = new Map<string, string>();
  await pastRound(g, '2026-11-09', ['Ali'], ids);
  const r = await todaysRound(g);
  render(<RoundFlow roundId={r.id} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Nieuwe deelnemer' }));
  fireEvent.input(screen.getByLabelText('Voornaam of alias'), { target: { value: 'Fatima' } });
  fireEvent.click(screen.getByRole('checkbox', { name: 'Kwam al eerder (vóór de app)' }));
  fireEvent.input(screen.getByLabelText('Eerste keer, als je het weet'), { target: { value: '2021-03-04' } });
  fireEvent.click(screen.getByRole('button', { name: 'Toevoegen en aanwezig' }));
  const fatima = await screen.findByRole('button', { name: 'Fatima' });
  assert.is(fatima.getAttribute('aria-pressed'), 'true');
  assert.not.ok(fatima.textContent?.includes('nieuw'), 'not marked nieuw');

  fireEvent.click(screen.getByRole('button', { name: 'Nieuwe deelnemer' }));
  fireEvent.input(screen.getByLabelText('Voornaam of alias'), { target: { value: 'Gerrit' } });
  fireEvent.click(screen.getByRole('checkbox', { name: 'Kwam al eerder (vóór de app)' }));
  fireEvent.click(screen.getByRole('button', { name: 'Toevoegen en aanwezig' }));
  const gerrit = await screen.findByRole('button', { name: 'Gerrit' });
  assert.not.ok(gerrit.textContent?.includes('nieuw'));

  const stored = await participants();
  assert.is(stored.find((p) => p.name === 'Fatima')?.firstVisit, '2021-03-04');
  const g2 = stored.find((p) => p.name === 'Gerrit')!;
  assert.is(g2.firstVisit, null);
  assert.is(g2.cameBefore, true);
  assert.is((await report()).rounds.find((row) => row.id === r.id)?.newcomers ?? 0, 0, 'the report counts neither as a newcomer once the round is held');
});

test('a participant whose first visit lies before the round is not "nieuw", even without earlier attendance', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  await writeAll([
    {
      table: 'participants',
      id: 'pk',
      groupId: g.id,
      values: { name: 'Karin', firstVisit: '2019-05-01', foundVia: 'onbekend', status: 'actief', gender: null, ageBand: null, consentDate: null, personId: null },
    },
  ]);
  await setPresent(r, 'pk', true);
  render(<RoundFlow roundId={r.id} />);
  const karin = await screen.findByRole('button', { name: 'Karin' });
  await waitFor(() => assert.is(karin.getAttribute('aria-pressed'), 'true'));
  assert.not.ok(karin.textContent?.includes('nieuw'));
});

test('the group’s very first round asks once whether everyone present is new; "Nee" marks the chosen as came-before, and the report counts the rest', async () => {
  const g = await makeGroup();
  const r = await todaysRound(g);
  for (const name of ['Ali', 'Bea', 'Cas']) await addParticipant(r, { name, foundVia: 'begeleider' });
  render(<RoundFlow roundId={r.id} />);
  await screen.findByRole('button', { name: 'Ali nieuw' });
  fireEvent.click(screen.getByRole('button', { name: 'Start de opening' }));
  await heading('Zijn al deze 3 mensen echt voor het eerst?');
  fireEvent.click(screen.getByRole('button', { name: 'Nee, sommigen kwamen al eerder' }));
  fireEvent.click(screen.getByRole('checkbox', { name: 'Ali' }));
  fireEvent.click(screen.getByRole('checkbox', { name: 'Bea' }));
  fireEvent.click(screen.getByRole('button', { name: 'Opslaan en verder' }));
  await heading('Opening');
  const stored = await participants();
  assert.equal(stored.filter((p) => p.cameBefore).map((p) => p.name).sort(), ['Ali', 'Bea']);

  // Back to the list and on again: not asked a second time.
  fireEvent.click(screen.getByRole('button', { name: 'Vorige' }));
  await heading('Aanwezigheid');
  assert.ok(await screen.findByRole('button', { name: 'Cas nieuw' }));
  assert.is(screen.queryByRole('button', { name: 'Ali nieuw' }), null);
  await new Promise((ok) => setTimeout(ok, 350));
  fireEvent.click(screen.getByRole('button', { name: /^Terug naar Opening$|^Start de opening$/ }));
  await heading('Opening');

  await db().table('rounds').update(r.id, { status: 'afgerond' });
  const rep = await report();
  assert.is(rep.newcomers, 1, 'only Cas is a newcomer');
});

test('a later round of the group does not ask', async () => {
  const g = await makeGroup();
  const ids = new Map<string, string>();
  await pastRound(g, '2026-11-09', ['Ali'], ids);
  const r = await todaysRound(g);
  await addParticipant(r, { name: 'Bea', foundVia: 'flyer' });
  render(<RoundFlow roundId={r.id} />);
  await screen.findByRole('button', { name: 'Bea nieuw' });
  fireEvent.click(screen.getByRole('button', { name: 'Start de opening' }));
  await heading('Opening');
});

async function evaluationOf(startedMinutesAgo: number, date = localDate()) {
  const g = await makeGroup();
  const ids = new Map<string, string>();
  await pastRound(g, '2026-11-09', ['Ali'], ids);
  const r = await todaysRound(g, date, Date.now() - startedMinutesAgo * M);
  await saveScreen(r.id, { kind: 'evaluation' });
  render(<RoundFlow roundId={r.id} />);
  await heading('Evaluatie');
  return r;
}

test('closing shows the measured duration the report will count, and "Ronde afsluiten" confirms it', async () => {
  const r = await evaluationOf(140);
  await screen.findByText('Gemeten vanaf de eerste stap: 2 u 20 min.');
  assert.ok(screen.getByText('Telt als 2 u 20 min. Afsluiten bevestigt deze duur.'));
  fireEvent.click(screen.getByRole('button', { name: 'Ronde afsluiten' }));
  await heading('Samenvatting');
  assert.is((await getRound(r.id)).durationMin, 140);
  assert.ok(await screen.findByText('2 u 20 min'), 'the summary shows the confirmed duration');
});

test('a round closed minutes after its start proposes the plan; one tap picks the measured time instead', async () => {
  const r = await evaluationOf(4);
  await screen.findByText('Gemeten: 4 min, minder dan de helft van de planning. Voorgesteld: de planning (2 u 30 min).');
  assert.ok(screen.getByText('Telt als 2 u 30 min. Afsluiten bevestigt deze duur.'));
  fireEvent.click(screen.getByRole('radio', { name: 'gemeten 4 min' }));
  await screen.findByText('Telt als 4 min. Afsluiten bevestigt deze duur.');
  fireEvent.click(screen.getByRole('radio', { name: 'planning 2 u 30 min' }));
  fireEvent.click(screen.getByRole('button', { name: 'Ronde afsluiten' }));
  await heading('Samenvatting');
  assert.is((await getRound(r.id)).durationMin, 150);
});

test('a round filled in on a later day proposes the plan; a typed duration is what is stored; a wrong one stops the close', async () => {
  const r = await evaluationOf(3, '2026-11-23');
  await screen.findByText(/Deze ronde is achteraf ingevuld/);
  const field = screen.getByLabelText('Duur in minuten') as HTMLInputElement;
  assert.is(field.value, '150');
  fireEvent.input(field, { target: { value: '0' } });
  fireEvent.click(screen.getByRole('button', { name: 'Ronde afsluiten' }));
  await screen.findByText('Vul een duur in van 1 tot 600 minuten.');
  assert.is((await getRound(r.id)).status, 'bezig', 'not closed');
  fireEvent.input(field, { target: { value: '120' } });
  fireEvent.click(screen.getByRole('button', { name: 'Ronde afsluiten' }));
  await heading('Samenvatting');
  assert.is((await getRound(r.id)).durationMin, 120);
});

test('the measured duration starts at the first timer start when the co-begeleider started one', async () => {
  const r0 = await (async () => {
    const g = await makeGroup();
    const ids = new Map<string, string>();
    await pastRound(g, '2026-11-09', ['Ali'], ids);
    return todaysRound(g, localDate(), Date.now() - 170 * M);
  })();
  await recordStep(r0, [{ step: 'inloop', kind: 'start', at: Date.now() - 130 * M }]);
  await saveScreen(r0.id, { kind: 'evaluation' });
  render(<RoundFlow roundId={r0.id} />);
  await screen.findByText('Gemeten vanaf de eerste stap: 2 u 10 min.');
});

test.run();
