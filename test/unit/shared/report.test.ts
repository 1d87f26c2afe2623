import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { computeReport, roundMinutes, type ReportInput } from '../../../src/shared/report';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import type { StoredRecord } from '../../../src/shared/schema';

const H = 3_600_000;
type Rnd = StoredRecord<'rounds'>;

/** The report's input with arrays the test can fill. */
type Input = { [K in keyof ReportInput]: ReportInput[K] extends readonly (infer R)[] ? R[] : never };

function empty(): Input {
  return { locations: [], groups: [], participants: [], rounds: [], attendance: [], evaluations: [], stories: [], categories: [] };
}

function round(id: string, groupId: string, date: string, extra: Partial<Rnd> = {}): Rnd {
  return { id, groupId, _h: {}, date, status: 'afgerond', startedAt: null, endedAt: null, plan: DEFAULT_PLAN, locationId: null, ...extra };
}

function person(id: string, groupId: string, extra: Partial<StoredRecord<'participants'>> = {}): StoredRecord<'participants'> {
  return { id, groupId, _h: {}, name: id, status: 'actief', foundVia: 'flyer', firstVisit: null, personId: null, ...extra };
}

function present(roundId: string, participantId: string, isPresent = true): StoredRecord<'attendance'> {
  return { id: `${roundId}|${participantId}`, groupId: null, _h: {}, roundId, participantId, present: isPresent };
}

const YEAR = { from: '2026-01-01', to: '2026-12-31' };
const TODAY = { today: '2027-06-01' };

test('the design example: 130 rounds of 2.5 h with 10 present give 3,250 hours of attention', () => {
  const input = empty();
  input.groups.push({ id: 'g1', groupId: 'g1', _h: {}, name: 'Noord', locationId: 'l1' });
  for (let i = 0; i < 10; i++) input.participants.push(person(`p${i}`, 'g1'));
  for (let r = 0; r < 130; r++) {
    const date = `2026-${String(1 + (r % 12)).padStart(2, '0')}-${String(1 + Math.floor(r / 12)).padStart(2, '0')}`;
    input.rounds.push(round(`r${r}`, 'g1', date));
    for (let i = 0; i < 10; i++) input.attendance.push(present(`r${r}`, `p${i}`));
  }
  const rep = computeReport(input, YEAR, TODAY);
  assert.is(rep.roundsHeld, 130);
  assert.is(rep.totalAttendance, 1300);
  assert.is(rep.averageAttendance, 10);
  assert.is(rep.hoursOfAttention, 3250);
  assert.is(rep.uniqueParticipants, 10);
  assert.is(rep.newcomers, 10);
  assert.is(rep.months.length, 12);
  assert.is(rep.months[0].held, 11);
  assert.is(rep.months[11].held, 10);
});

test('a participant in two groups linked by personId counts once', () => {
  const input = empty();
  input.participants.push(person('pa', 'g1', { personId: 'ann' }), person('pb', 'g2', { personId: 'ann', status: 'gestopt' }), person('pc', 'g2'));
  input.rounds.push(round('r1', 'g1', '2026-02-01'), round('r2', 'g2', '2026-03-01'));
  input.attendance.push(present('r1', 'pa'), present('r2', 'pb'), present('r2', 'pc'));
  const rep = computeReport(input, YEAR, TODAY);
  assert.is(rep.totalAttendance, 3);
  assert.is(rep.uniqueParticipants, 2);
  assert.is(rep.newcomers, 2, 'Ann is new only in her first group');
  assert.equal(rep.rounds.map((r) => r.newcomers), [1, 1]);
  // Her status is the one her most recent group recorded; how she found us, the one her first group recorded.
  assert.is(rep.byStatus.find((s) => s.key === 'gestopt')?.count, 1);
  assert.is(rep.byStatus.find((s) => s.key === 'actief')?.count, 1);
  assert.is(rep.byFoundVia.find((s) => s.key === 'flyer')?.count, 2);
  assert.equal(rep.byGroup.map((g) => [g.key, g.participants]).sort(), [['g1', 1], ['g2', 2]], 'per group she counts in each');
});

test('duration is endedAt − startedAt when both exist, else the full plan including inloop and uitloop', () => {
  const start = Date.UTC(2026, 2, 3, 18);
  assert.is(roundMinutes({ startedAt: start, endedAt: start + 2 * H, plan: DEFAULT_PLAN }), 120);
  assert.is(roundMinutes({ startedAt: start, endedAt: null, plan: DEFAULT_PLAN }), 150);
  assert.is(roundMinutes({ startedAt: start, endedAt: start + 20 * H, plan: DEFAULT_PLAN }), 150, 'a round ended the next day falls back to the plan');
  assert.is(roundMinutes({ startedAt: null, endedAt: null, plan: { ...DEFAULT_PLAN, inloop: 0, uitloop: 0 } }), 120);

  const input = empty();
  input.participants.push(person('p1', 'g1'), person('p2', 'g1'));
  input.rounds.push(
    round('timed', 'g1', '2026-03-03', { startedAt: start, endedAt: start + 2 * H }),
    round('open', 'g1', '2026-03-10', { status: 'bezig', startedAt: start + 7 * 24 * H, endedAt: null }),
  );
  input.attendance.push(present('timed', 'p1'), present('timed', 'p2'), present('open', 'p1'), present('open', 'p2'));
  const rep = computeReport(input, YEAR, TODAY);
  assert.is(rep.roundsHeld, 2, 'a round left "bezig" on an earlier day was held');
  assert.is(rep.hoursOfAttention, 2 * 2 + 2 * 2.5);
});

test('a round still running today is not counted until it is ended', () => {
  const input = empty();
  input.participants.push(person('p1', 'g1'));
  input.rounds.push(round('now', 'g1', '2026-05-01', { status: 'bezig', startedAt: Date.UTC(2026, 4, 1, 17) }));
  input.attendance.push(present('now', 'p1'));
  assert.is(computeReport(input, YEAR, { today: '2026-05-01' }).roundsHeld, 0);
  assert.is(computeReport(input, YEAR, { today: '2026-05-02' }).roundsHeld, 1);
});

test('a cancelled round is not held, counts as cancelled and its attendance is ignored', () => {
  const input = empty();
  input.participants.push(person('p1', 'g1'), person('p2', 'g1'));
  input.rounds.push(round('held', 'g1', '2026-04-01'), round('off', 'g1', '2026-04-15', { status: 'geannuleerd', chosenTheme: 'geld' }));
  input.attendance.push(present('held', 'p1'), present('off', 'p1'), present('off', 'p2'));
  const rep = computeReport(input, YEAR, TODAY);
  assert.is(rep.roundsHeld, 1);
  assert.is(rep.roundsCancelled, 1);
  assert.is(rep.totalAttendance, 1);
  assert.is(rep.uniqueParticipants, 1);
  assert.is(rep.newcomers, 1, 'p2 only came to a cancelled round');
  assert.is(rep.hoursOfAttention, 2.5);
  assert.equal(rep.themesChosen, []);
  const april = rep.months.find((m) => m.month === '2026-04');
  assert.equal([april?.held, april?.cancelled, april?.attendance], [1, 1, 1]);
});

test('a round dated 2026-01-01 belongs to January even when it started at 23:30 UTC on 31 December', () => {
  const input = empty();
  input.participants.push(person('p1', 'g1'));
  const startedAt = Date.UTC(2025, 11, 31, 23, 30);
  input.rounds.push(round('ny', 'g1', '2026-01-01', { startedAt, endedAt: startedAt + H }));
  // A round synced without its date still lands on its Dutch calendar day.
  input.rounds.push({ ...round('nodate', 'g1', '2026-01-01', { startedAt, endedAt: startedAt + H }), date: undefined });
  input.attendance.push(present('ny', 'p1'));
  const rep2026 = computeReport(input, { from: '2026-01-01', to: '2026-01-31' }, TODAY);
  assert.is(rep2026.roundsHeld, 2);
  assert.is(rep2026.totalAttendance, 1);
  assert.is(rep2026.months[0].month, '2026-01');
  const rep2025 = computeReport(input, { from: '2025-01-01', to: '2025-12-31' }, TODAY);
  assert.is(rep2025.roundsHeld, 0);
});

test('someone who first came before the period is not a newcomer in it', () => {
  const input = empty();
  input.participants.push(person('old', 'g1'), person('new', 'g1'), person('paper', 'g1', { firstVisit: '2024-09-01' }));
  input.rounds.push(round('r2025', 'g1', '2025-11-01'), round('r2026', 'g1', '2026-02-01'), round('r2026b', 'g1', '2026-03-01'));
  input.attendance.push(present('r2025', 'old'), present('r2026', 'old'), present('r2026', 'new'), present('r2026b', 'new'), present('r2026b', 'paper'));
  const rep = computeReport(input, YEAR, TODAY);
  assert.is(rep.uniqueParticipants, 3);
  assert.is(rep.newcomers, 1, 'only "new": "old" came in 2025, "paper" has an earlier first visit on record');
  assert.equal(rep.rounds.map((r) => [r.id, r.newcomers]), [['r2026', 1], ['r2026b', 0]]);
  assert.is(rep.newcomersPerRound, 0.5);
});

test('absent marks, tombstoned rows and rounds outside the filter do not count', () => {
  const input = empty();
  input.locations.push({ id: 'l1', groupId: null, _h: {}, name: 'De Boom', wijk: 'Noord' }, { id: 'l2', groupId: null, _h: {}, name: 'Het Anker', wijk: 'Zuid' });
  input.groups.push({ id: 'g1', groupId: 'g1', _h: {}, name: 'Boom', locationId: 'l1' }, { id: 'g2', groupId: 'g2', _h: {}, name: 'Anker', locationId: 'l2' });
  input.participants.push(person('p1', 'g1'), person('p2', 'g2'));
  input.rounds.push(round('a', 'g1', '2026-01-10'), round('b', 'g2', '2026-01-11'), { ...round('gone', 'g1', '2026-01-12'), _d: 'x' });
  input.attendance.push(present('a', 'p1'), present('a', 'p2', false), present('b', 'p2'), { ...present('b', 'p1'), _d: 'x' }, present('gone', 'p1'));
  const all = computeReport(input, YEAR, TODAY);
  assert.is(all.roundsHeld, 2);
  assert.is(all.totalAttendance, 2);
  assert.equal(all.byWijk.map((w) => [w.key, w.held, w.attendance]).sort(), [['Noord', 1, 1], ['Zuid', 1, 1]]);
  const noord = computeReport(input, { ...YEAR, wijk: 'Noord' }, TODAY);
  assert.equal([noord.roundsHeld, noord.totalAttendance, noord.uniqueParticipants], [1, 1, 1]);
  const anker = computeReport(input, { ...YEAR, locationId: 'l2' }, TODAY);
  assert.equal(anker.byGroup.map((g) => g.label), ['Anker']);
  assert.is(computeReport(input, { ...YEAR, groupId: 'g1' }, TODAY).rounds[0].group, 'Boom');
});

test('themes, strategies and evaluations are tallied over held rounds with their category labels', () => {
  const input = empty();
  input.categories.push({ id: 'c1', groupId: null, _h: {}, kind: 'theme', key: 'geld', label: 'Geld en armoede' });
  input.rounds.push(
    round('r1', 'g1', '2026-06-01', { chosenTheme: 'geld', themesRaised: { geld: 2, stress: 1 }, strategies: ['praten', 'humor'] }),
    round('r2', 'g1', '2026-06-08', { chosenTheme: 'geld', themesRaised: { stress: 3 }, strategies: ['praten'] }),
    round('r3', 'g1', '2026-06-15', { chosenTheme: 'stress' }),
  );
  input.evaluations.push(
    { id: 'e1', groupId: 'g1', _h: {}, roundId: 'r1', atmosphere: 5, safety: 4 },
    { id: 'e2', groupId: 'g1', _h: {}, roundId: 'r2', atmosphere: 4, safety: 3 },
  );
  const rep = computeReport(input, YEAR, TODAY);
  assert.equal(rep.themesChosen, [
    { key: 'geld', label: 'Geld en armoede', count: 2 },
    { key: 'stress', label: 'stress', count: 1 },
  ]);
  assert.equal(rep.themesRaised.map((c) => [c.key, c.count]), [['stress', 4], ['geld', 2]]);
  assert.equal(rep.strategies.map((c) => [c.key, c.count]), [['praten', 2], ['humor', 1]]);
  assert.equal(rep.evaluations, { count: 2, atmosphere: 4.5, safety: 3.5 });
});

test('stories appear only with consent, inside the period and the filter', () => {
  const input = empty();
  input.locations.push({ id: 'l1', groupId: null, _h: {}, name: 'De Boom', wijk: 'Noord' });
  input.groups.push({ id: 'g1', groupId: 'g1', _h: {}, name: 'Boom', locationId: 'l1' });
  const story = (id: string, date: string, extra: Partial<StoredRecord<'stories'>> = {}): StoredRecord<'stories'> => ({
    id, groupId: 'g1', _h: {}, pseudonym: 'Mo', age: null, quote: 'Ik voel me gehoord', themes: [], consent: true, date, ...extra,
  });
  input.stories.push(story('s1', '2026-03-01'), story('s2', '2025-03-01'), { ...story('s3', '2026-04-01'), consent: undefined }, { ...story('s4', '2026-05-01'), _d: 'x' });
  assert.equal(computeReport(input, YEAR, TODAY).stories.map((s) => [s.id, s.group]), [['s1', 'Boom']]);
  assert.equal(computeReport(input, { ...YEAR, wijk: 'Zuid' }, TODAY).stories, []);
});


test('a confirmed durationMin is what the report counts; without it the measured time still counts (old phones)', () => {
  const start = Date.UTC(2026, 2, 3, 18);
  // Filled in afterwards in 4 minutes, confirmed as the 150 minutes it really took.
  assert.is(roundMinutes({ startedAt: start, endedAt: start + 4 * 60_000, plan: DEFAULT_PLAN, durationMin: 150 }), 150);
  // A 5-second test round confirmed as 1 minute counts 1 minute, not the plan.
  assert.is(roundMinutes({ startedAt: start, endedAt: start + 5_000, plan: DEFAULT_PLAN, durationMin: 1 }), 1);
  assert.is(roundMinutes({ startedAt: start, endedAt: start + 2 * H, plan: DEFAULT_PLAN }), 120);
});

test('130 rounds confirmed at 150 minutes with 10 present give 3,250 hours, whatever the tap-to-tap time was', () => {
  const input = empty();
  for (let i = 0; i < 10; i++) input.participants.push(person(`p${i}`, 'g1'));
  const start = Date.UTC(2026, 0, 5, 18);
  for (let r = 0; r < 130; r++) {
    const date = `2026-${String(1 + (r % 12)).padStart(2, '0')}-${String(1 + Math.floor(r / 12)).padStart(2, '0')}`;
    // Half of them were typed in afterwards within minutes.
    const ended = r % 2 ? start + 4 * 60_000 : start + 2.5 * H;
    input.rounds.push(round(`r${r}`, 'g1', date, { startedAt: start, endedAt: ended, durationMin: 150 }));
    for (let i = 0; i < 10; i++) input.attendance.push(present(`r${r}`, `p${i}`));
  }
  assert.is(computeReport(input, YEAR, TODAY).hoursOfAttention, 3250);
});

test('the first round in the app: 12 present, 10 of them came before it (two with a date, eight "kwam al eerder"), so 2 newcomers', () => {
  const input = empty();
  // Hand count: Ann and Bo have a first visit in 2025, C1–C8 came before on an unknown day, Nina and Omar are new.
  input.participants.push(person('ann', 'g1', { firstVisit: '2025-03-04' }), person('bo', 'g1', { firstVisit: '2025-11-20' }));
  for (let i = 1; i <= 8; i++) input.participants.push(person(`c${i}`, 'g1', { firstVisit: null, cameBefore: true }));
  input.participants.push(person('nina', 'g1', { firstVisit: '2026-02-03' }), person('omar', 'g1', { firstVisit: null }));
  input.rounds.push(round('r1', 'g1', '2026-02-03'), round('r2', 'g1', '2026-02-17'));
  for (const p of input.participants) input.attendance.push(present('r1', p.id));
  input.attendance.push(present('r2', 'ann'), present('r2', 'nina'));
  const rep = computeReport(input, YEAR, TODAY);
  assert.is(rep.totalAttendance, 14);
  assert.is(rep.uniqueParticipants, 12);
  assert.is(rep.newcomers, 2);
  assert.equal(rep.rounds.map((r) => r.newcomers), [2, 0]);
  assert.is(rep.months[1].newcomers, 2);
});

test.run();
