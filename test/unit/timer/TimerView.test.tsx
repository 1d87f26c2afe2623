import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { LkDb, db, useDb } from '../../../src/data/db';
import { createGroup, createLocation, endRound, recordStep, startRound } from '../../../src/data/actions';
import type { Group, Round, StepTiming } from '../../../src/shared/schema';
import { roundId } from '../../../src/shared/ids';
import { write } from '../../../src/data/write';
import { TimerView } from '../../../src/app/timer/TimerView';

const M = 60_000;
/** The big clock, not the same figure in the list of steps. */
const BIG = { selector: '.clock-digits' };
const T0 = Date.UTC(2026, 10, 23, 18, 0, 0); // 19:00 in Amsterdam
const realNow = Date.now;
let clock = T0;
let vibrations: unknown[] = [];
let n = 0;

function setBrowserApi(name: 'vibrate' | 'wakeLock', value: unknown) {
  if (value === undefined) delete (navigator as unknown as Record<string, unknown>)[name];
  else Object.defineProperty(navigator, name, { value, configurable: true, writable: true });
}

test.before.each(() => {
  useDb(new LkDb(`timer-test-${++n}-${realNow()}`));
  clock = T0;
  Date.now = () => clock;
  vibrations = [];
  setBrowserApi('vibrate', (pattern: unknown) => {
    vibrations.push(pattern);
    return true;
  });
  setBrowserApi('wakeLock', undefined);
});
test.after.each(() => {
  cleanup();
  Date.now = realNow;
  setBrowserApi('vibrate', undefined);
  setBrowserApi('wakeLock', undefined);
});

async function makeRound(): Promise<Round> {
  const lid = await createLocation({ name: 'Buurthuis De Boom', wijk: 'Oost' });
  const gid = await createGroup({ name: 'Maandaggroep', locationId: lid, rhythm: 'wekelijks' });
  const rid = await startRound((await db().table('groups').get(gid)) as Group, { now: T0 });
  return (await db().table('rounds').get(rid)) as Round;
}

/** The page shows the clock again (as after unlocking the phone); the timer re-reads the time at once. */
function wake(at: number) {
  clock = at;
  document.dispatchEvent(new Event('visibilitychange'));
}

async function events(roundId: string) {
  const rows = (await db().table('stepTimings').where('roundId').equals(roundId).toArray()) as StepTiming[];
  return rows.sort((a, b) => a.at - b.at || (a.kind < b.kind ? 1 : -1)).map((r) => `${r.kind} ${r.step} +${(r.at - T0) / M}`);
}

test('time left is computed from the stored events and the clock, not from a counter', async () => {
  const round = await makeRound();
  await recordStep(round, [{ step: 'inloop', kind: 'start', at: T0 }]);
  clock = T0 + 10 * M;
  render(<TimerView roundId={round.id} />);
  await screen.findByText('05:00');
  assert.ok(screen.getAllByText('Inloop').length >= 1);
  wake(T0 + 12 * M + 30_500);
  await screen.findByText('02:30');
  assert.ok(screen.getByText('Verstreken: 12 van 150 minuten'));
  assert.ok(screen.getByText(/Gepland klaar om 21:30/));
  // A second phone's events count the same as this phone's.
  await recordStep(round, [
    { step: 'inloop', kind: 'stop', at: T0 + 13 * M },
    { step: 'opening', kind: 'start', at: T0 + 13 * M },
  ]);
  wake(T0 + 14 * M);
  await screen.findByText('19:00');
  assert.ok(screen.getByText('Nu: Opening'));
  assert.is(screen.getByText('Nu: Opening').getAttribute('aria-live'), 'polite');
  const current = document.querySelector('[aria-current="step"]')!;
  assert.match(current.textContent!, /Opening/);
});

test('running over shows "+mm:ss over tijd" and vibrates exactly once, also after a reload', async () => {
  const round = await makeRound();
  await recordStep(round, [{ step: 'inloop', kind: 'start', at: T0 }]);
  clock = T0 + 14 * M;
  const view = render(<TimerView roundId={round.id} />);
  await screen.findByText('01:00');
  assert.is(vibrations.length, 0);
  wake(T0 + 16 * M + 5_000);
  await screen.findByText('+01:05', BIG);
  assert.match(screen.getByText('+01:05', BIG).closest('p')!.textContent!, /^\+01:05 over tijd$/);
  assert.ok(screen.getByText('+01:05', BIG).closest('p')!.classList.contains('over'));
  await waitFor(() => assert.is(vibrations.length, 1));
  assert.equal(vibrations[0], [200, 100, 200]);
  wake(T0 + 17 * M);
  await screen.findByText('+02:00', BIG);
  view.unmount();
  render(<TimerView roundId={round.id} />);
  await screen.findByText('+02:00', BIG);
  wake(T0 + 18 * M);
  await screen.findByText('+03:00', BIG);
  await new Promise((r) => setTimeout(r, 50));
  assert.is(vibrations.length, 1);
});

test('start, next step, pause and resume each record start/stop events at the current time', async () => {
  const round = await makeRound();
  render(<TimerView roundId={round.id} />);
  await screen.findByText('Nog niet begonnen');
  fireEvent.click(screen.getByRole('button', { name: 'Start Inloop' }));
  await screen.findByRole('button', { name: 'Volgende stap: Opening' });
  clock = T0 + 15 * M;
  fireEvent.click(screen.getByRole('button', { name: 'Volgende stap: Opening' }));
  await screen.findByRole('button', { name: 'Volgende stap: Verhaalkeuze' });
  clock = T0 + 20 * M;
  fireEvent.click(screen.getByRole('button', { name: 'Pauze' }));
  await screen.findByRole('button', { name: 'Hervat Opening' });
  assert.ok(screen.getByText('Gepauzeerd'));
  assert.ok(screen.getByText('Gepauzeerd: Opening'));
  clock = T0 + 25 * M;
  fireEvent.click(screen.getByRole('button', { name: 'Hervat Opening' }));
  await screen.findByRole('button', { name: 'Pauze' });
  clock = T0 + 26 * M;
  fireEvent.click(screen.getByRole('button', { name: 'Start Verdieping' }));
  await screen.findByRole('button', { name: 'Volgende stap: Verbreding' });
  assert.equal(await events(round.id), [
    'start inloop +0',
    'stop inloop +15',
    'start opening +15',
    'stop opening +20',
    'start opening +25',
    'start verdieping +26',
  ]);
  wake(T0 + 26 * M);
  // Opening ran 5 + 1 minutes of its 20.
  assert.ok(screen.getByText('06:00 van 20 min'));
});

test('the screen is kept awake while a step runs, again after the page was hidden, and released on pause', async () => {
  const requests: string[] = [];
  const sentinels: { released: boolean }[] = [];
  let released = 0;
  setBrowserApi('wakeLock', {
    request: async (type: string) => {
      requests.push(type);
      const s = {
        released: false,
        release: async function (this: { released: boolean }) {
          this.released = true;
          released++;
        },
      };
      sentinels.push(s);
      return s;
    },
  });
  const round = await makeRound();
  await recordStep(round, [{ step: 'opening', kind: 'start', at: T0 }]);
  render(<TimerView roundId={round.id} />);
  await screen.findByRole('button', { name: 'Pauze' });
  await waitFor(() => assert.equal(requests, ['screen']));
  assert.is(screen.queryByText(/Scherm blijft niet vanzelf aan/), null);
  // The browser drops the lock while the screen is off; coming back takes it again.
  sentinels[0].released = true;
  wake(T0 + 30_000);
  await waitFor(() => assert.equal(requests, ['screen', 'screen']));
  clock = T0 + M;
  fireEvent.click(screen.getByRole('button', { name: 'Pauze' }));
  await screen.findByRole('button', { name: 'Hervat Opening' });
  await waitFor(() => assert.is(released, 1));
});

test('without the Wake Lock API a running timer says how to keep the screen on', async () => {
  const round = await makeRound();
  await recordStep(round, [{ step: 'opening', kind: 'start', at: T0 }]);
  render(<TimerView roundId={round.id} />);
  await screen.findByText('Scherm blijft niet vanzelf aan — zet automatische vergrendeling uit');
});

test('an ended round shows its final times, no countdown and no controls, and its clock stops at the end', async () => {
  const round = await makeRound();
  await recordStep(round, [{ step: 'afsluiting', kind: 'start', at: T0 }]);
  await endRound(round, T0 + 5 * M);
  clock = T0 + 60 * M;
  render(<TimerView roundId={round.id} />);
  await screen.findByText('Deze ronde is afgerond.');
  assert.is(screen.queryByText('nog'), null, 'no "nog" countdown on a closed round');
  assert.is(screen.queryByText('10:00'), null);
  assert.ok(screen.getByText('05:00', BIG), 'the big figure is the time the round took');
  assert.ok(screen.getByText('05:00 van 15 min'));
  assert.is(screen.queryByRole('button', { name: 'Pauze' }), null);
  assert.is(screen.queryAllByRole('button', { name: /^Start / }).length, 0);
});

test('a cancelled round without an end time stops its clock at its last event', async () => {
  const round = await makeRound();
  await recordStep(round, [{ step: 'opening', kind: 'start', at: T0 }]);
  await write('rounds', round.id, round.groupId, { status: 'geannuleerd', cancelReason: 'per ongeluk' });
  clock = T0 + 60 * M;
  render(<TimerView roundId={round.id} />);
  await screen.findByText('Deze ronde is geannuleerd. Reden: per ongeluk');
  assert.ok(screen.getByText('00:00 van 20 min'));
  assert.is(screen.queryByText('nog'), null);
});

/** The names of the timer's controls, in the order they stand on the screen. */
const controls = () => Array.from(document.querySelectorAll('.timer-controls button'), (b) => b.textContent!.trim());

test('Pauze and Hervat share one place and Volgende stap keeps its own, so the tap after a pause resumes (defect 6)', async () => {
  const round = await makeRound();
  await recordStep(round, [{ step: 'opening', kind: 'start', at: T0 }]);
  render(<TimerView roundId={round.id} />);
  await screen.findByRole('button', { name: 'Pauze' });
  const running = controls();
  clock = T0 + M;
  fireEvent.click(screen.getByRole('button', { name: 'Pauze' }));
  await screen.findByRole('button', { name: 'Hervat Opening' });
  const paused = controls();
  assert.is(running.indexOf('Pauze'), paused.indexOf('Hervat Opening'), `${running} / ${paused}`);
  assert.is(running.indexOf('Volgende stap: Verhaalkeuze'), paused.indexOf('Volgende stap: Verhaalkeuze'));
});

test('after Uitloop the timer has a clear end: one tap stops it and it says the round is over', async () => {
  const round = await makeRound();
  await recordStep(round, [{ step: 'uitloop', kind: 'start', at: T0 }]);
  render(<TimerView roundId={round.id} />);
  clock = T0 + 10 * M;
  fireEvent.click(await screen.findByRole('button', { name: 'Einde: timer stoppen' }));
  await screen.findByText('Klaar');
  assert.equal(await events(round.id), ['start uitloop +0', 'stop uitloop +10']);
  assert.is(screen.queryByText('nog'), null);
  assert.is(screen.queryByRole('button', { name: 'Einde: timer stoppen' }), null);
  assert.is(screen.queryByText('Gepauzeerd'), null);
  // A tap too many is undone from the same place the pause button stood.
  assert.is(controls()[0], 'Hervat Uitloop');
});

test('the co-begeleider times a round that is not on this phone yet, from the group plan, without writing a round', async () => {
  const lid = await createLocation({ name: 'Buurthuis De Boom', wijk: 'Oost' });
  const gid = await createGroup({ name: 'Maandaggroep', locationId: lid, rhythm: 'wekelijks' });
  const rid = roundId(gid, '2026-11-23');
  render(<TimerView roundId={rid} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Start Inloop' }));
  await screen.findByRole('button', { name: 'Pauze' });
  const rows = (await db().table('stepTimings').toArray()) as StepTiming[];
  assert.equal(rows.map((r) => [r.roundId, r.groupId, r.step, r.kind]), [[rid, gid, 'inloop', 'start']]);
  assert.is(await db().table('rounds').count(), 0, 'no competing round record');
  assert.ok(screen.getByText(/de ronde zelf staat nog niet op deze telefoon/i));
  assert.ok(screen.getByText('Verstreken: 0 van 150 minuten'));
});

test('a round of a group that is not on this phone says to sync first', async () => {
  render(<TimerView roundId="r.gx.2026-11-23" />);
  await screen.findByText(/staat \(nog\) niet op deze telefoon/);
  assert.is(screen.getByRole('link', { name: 'Synchroniseren' }).getAttribute('href'), '#/sync');
});

test.run();
