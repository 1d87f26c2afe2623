// Checks that the optimised report function gives exactly the figures of its plain predecessor on random organisations.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  computeReport,
  isHeld,
  roundMinutes,
  type BreakdownRow,
  type Count,
  type MonthRow,
  type Report,
  type ReportFilter,
  type ReportInput,
  type ReportOptions,
  type RoundRow,
  type StoryRow,
  type Tally,
} from '../../../src/shared/report';
import { DEFAULT_PLAN, DEFAULT_STRATEGIES, DEFAULT_THEMES, FOUND_VIA, PARTICIPANT_STATUS, ROUND_STATUS } from '../../../src/shared/method';
import { localDate } from '../../../src/shared/ids';
import type { StoredRecord } from '../../../src/shared/schema';
import { FILTER as BENCH_FILTER, TODAY as BENCH_TODAY, benchData, rng } from '../../../bench/report-data';

// From here to referenceReport: the internals of src/shared/report.ts before its speed-up (commit 2b279e4), kept
// verbatim as the oracle; roundMinutes and isHeld, which did not change, are imported.
interface RoundInfo {
  round: StoredRecord<'rounds'>;
  date: string;
  /** The date as YYYYMMDD and the start time as numbers: ordering compares these for every attendance row. */
  day: number;
  start: number;
  held: boolean;
  inFilter: boolean;
  minutes: number;
  locationId: string;
  wijk: string;
  present: number;
  newcomers: number;
  /** Looked up once per round, not once per attendance row; declared up front so every RoundInfo has one shape. */
  month: MonthRow | undefined;
  buckets: Bucket[] | undefined;
}

/** One person (linked participant records together), reached from each of their records in one lookup. */
interface Person {
  /** The earliest first visit on any of their records: they may have come before the app was in use. */
  firstVisit: string | undefined;
  first: RoundInfo | undefined;
  firstParticipant: string;
  last: RoundInfo | undefined;
  lastParticipant: string;
  /** The buckets this person was last added to: rows come grouped by round, so most adds are repeats we skip. */
  seenIn: Bucket[] | undefined;
}

interface Bucket extends Tally {
  label: string;
  people: Set<Person>;
}

/** "2026-01-08" → 20260108, read digit by digit: no substrings for each of thousands of rounds. */
function dayNumber(date: string): number {
  let n = 0;
  for (let i = 0; i < date.length; i++) {
    const c = date.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) n = n * 10 + c;
  }
  return n;
}

const hoursOf = (info: RoundInfo) => (info.held ? (info.present * info.minutes) / 60 : 0);

const emptyTally = (): Tally => ({ held: 0, cancelled: 0, attendance: 0, newcomers: 0, hours: 0 });

/** Orders a person's rounds: by date, then start time, then id, so "first ever" is the same on every device. */
function before(a: RoundInfo, b: RoundInfo): boolean {
  if (a.day !== b.day) return a.day < b.day;
  if (a.start !== b.start) return a.start < b.start;
  return a.round.id < b.round.id;
}

/** Every month of the period, so empty months show as zero; a period of over a century lists only months with rounds. */
function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  if (!(y > 0 && m > 0) || from > to || Number(to.slice(0, 4)) - y > 100) return out;
  for (;;) {
    const key = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (key > end) return out;
    out.push(key);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
}

function sortCounts(map: Map<string, number>, labels: Map<string, string>): Count[] {
  return [...map]
    .map(([key, count]) => ({ key, label: labels.get(key) ?? key, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'nl'));
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** The report function as it was before its speed-up (commit 2b279e4), unchanged but for its name: the oracle
 * the faster version must match to the last figure. */
function referenceReport(input: ReportInput, filter: ReportFilter, options: ReportOptions = {}): Report {
  const today = options.today ?? localDate();
  const live = <R extends { _d?: string }>(rows: readonly R[]) => rows.filter((r) => !r._d);

  const locations = new Map(live(input.locations).map((l) => [l.id, l]));
  const groups = new Map(live(input.groups).map((g) => [g.id, g]));
  const participants = new Map(live(input.participants).map((p) => [p.id, p]));
  const themeLabels = new Map<string, string>();
  const strategyLabels = new Map<string, string>();
  for (const c of live(input.categories)) {
    if (!c.key || !c.label) continue;
    if (c.kind === 'theme') themeLabels.set(c.key, c.label);
    else if (c.kind === 'strategy') strategyLabels.set(c.key, c.label);
  }

  // A participant record belongs to one group; linked records share a personId and are one person.
  const people = new Map<string, Person>();
  const personByKey = (key: string) => {
    let person = people.get(key);
    if (!person) {
      person = { firstVisit: undefined, first: undefined, firstParticipant: '', last: undefined, lastParticipant: '', seenIn: undefined };
      people.set(key, person);
    }
    return person;
  };
  const personOfParticipant = new Map<string, Person>();
  for (const p of participants.values()) {
    const person = personByKey(p.personId ?? p.id);
    personOfParticipant.set(p.id, person);
    if (p.firstVisit && (!person.firstVisit || p.firstVisit < person.firstVisit)) person.firstVisit = p.firstVisit;
  }

  const matches = (groupId: string | null | undefined, locationId: string, wijk: string) =>
    (!filter.groupId || groupId === filter.groupId) &&
    (!filter.locationId || locationId === filter.locationId) &&
    (!filter.wijk || wijk === filter.wijk);

  const rounds = new Map<string, RoundInfo>();
  for (const r of input.rounds) {
    if (r._d) continue;
    const date = r.date ?? (r.startedAt != null ? localDate(r.startedAt) : null);
    if (!date) continue;
    const locationId = r.locationId ?? (r.groupId ? groups.get(r.groupId)?.locationId : undefined) ?? '';
    const wijk = locations.get(locationId)?.wijk ?? '';
    rounds.set(r.id, {
      round: r,
      date,
      day: dayNumber(date),
      start: r.startedAt ?? 0,
      held: isHeld(r, date, today),
      inFilter: date >= filter.from && date <= filter.to && matches(r.groupId, locationId, wijk),
      minutes: roundMinutes(r),
      locationId,
      wijk,
      present: 0,
      newcomers: 0,
      month: undefined,
      buckets: undefined,
    });
  }

  const months = new Map<string, MonthRow>(monthsBetween(filter.from, filter.to).map((month) => [month, { month, ...emptyTally() }]));
  const wijken = new Map<string, Bucket>();
  const locs = new Map<string, Bucket>();
  const grps = new Map<string, Bucket>();
  const bucket = (map: Map<string, Bucket>, key: string, label: string) => {
    let b = map.get(key);
    if (!b) map.set(key, (b = { label, people: new Set(), ...emptyTally() }));
    return b;
  };
  // One shared triple per group and location, so a person's next round there is recognised as already counted.
  const triples = new Map<string, Bucket[]>();
  const bucketsOf = (info: RoundInfo) => {
    if (info.buckets) return info.buckets;
    const gid = info.round.groupId ?? '';
    const key = `${gid}\u0000${info.locationId}`;
    let triple = triples.get(key);
    if (!triple) {
      triple = [
        bucket(wijken, info.wijk, info.wijk),
        bucket(locs, info.locationId, locations.get(info.locationId)?.name ?? ''),
        bucket(grps, gid, groups.get(gid)?.name ?? ''),
      ];
      triples.set(key, triple);
    }
    return (info.buckets = triple);
  };
  const monthOf = (info: RoundInfo) => {
    if (info.month) return info.month;
    const key = info.date.slice(0, 7);
    let m = months.get(key);
    if (!m) months.set(key, (m = { month: key, ...emptyTally() }));
    return (info.month = m);
  };

  let totalAttendance = 0;
  let uniqueParticipants = 0;
  for (const a of input.attendance) {
    if (a._d || a.present !== true || !a.roundId || !a.participantId) continue;
    const info = rounds.get(a.roundId);
    if (!info || !info.held) continue;
    const pid = a.participantId;
    // Attendance can arrive before its participant record syncs: count it under the participant id meanwhile.
    const person = personOfParticipant.get(pid) ?? personByKey(pid);
    if (!person.first || before(info, person.first)) {
      person.first = info;
      person.firstParticipant = pid;
    }
    if (!info.inFilter) continue;
    info.present++;
    totalAttendance++;
    if (!person.last) uniqueParticipants++;
    if (!person.last || before(person.last, info)) {
      person.last = info;
      person.lastParticipant = pid;
    }
    const buckets = bucketsOf(info);
    if (person.seenIn !== buckets) {
      for (const b of buckets) b.people.add(person);
      person.seenIn = buckets;
    }
  }

  let newcomers = 0;
  const status = new Map<string, number>(PARTICIPANT_STATUS.map((s) => [s, 0]));
  const foundVia = new Map<string, number>(FOUND_VIA.map((f) => [f, 0]));
  for (const person of people.values()) {
    if (person.last) {
      bump(status, participants.get(person.lastParticipant)?.status ?? 'onbekend');
      // How someone found the organisation is what their first group recorded.
      bump(foundVia, participants.get(person.firstParticipant)?.foundVia ?? 'onbekend');
    }
    const info = person.first;
    if (!info || !info.inFilter) continue;
    // Someone who came before the app was in use has an earlier first visit on their record.
    if (person.firstVisit && person.firstVisit < info.date) continue;
    newcomers++;
    info.newcomers++;
    monthOf(info).newcomers++;
    for (const b of bucketsOf(info)) b.newcomers++;
  }

  let roundsHeld = 0;
  let roundsCancelled = 0;
  let hoursOfAttention = 0;
  const chosen = new Map<string, number>();
  const raised = new Map<string, number>();
  const strategies = new Map<string, number>();
  const listed: RoundInfo[] = [];
  for (const info of rounds.values()) {
    if (!info.inFilter) continue;
    const r = info.round;
    const cancelled = r.status === 'geannuleerd';
    if (!info.held && !cancelled) continue;
    listed.push(info);
    const month = monthOf(info);
    const buckets = bucketsOf(info);
    const hours = hoursOf(info);
    if (cancelled) {
      roundsCancelled++;
      month.cancelled++;
      for (const b of buckets) b.cancelled++;
    } else {
      roundsHeld++;
      hoursOfAttention += hours;
      month.held++;
      month.attendance += info.present;
      month.hours += hours;
      for (const b of buckets) {
        b.held++;
        b.attendance += info.present;
        b.hours += hours;
      }
      if (r.chosenTheme) bump(chosen, r.chosenTheme);
      const themes = r.themesRaised;
      if (themes) for (const k in themes) if (themes[k] > 0) bump(raised, k, themes[k]);
      if (r.strategies) for (const s of r.strategies) bump(strategies, s);
    }
  }
  listed.sort((a, b) => (before(a, b) ? -1 : 1));
  const roundRows = listed.map((info): RoundRow => {
    const r = info.round;
    return {
      id: r.id,
      date: info.date,
      groupId: r.groupId,
      group: (r.groupId ? groups.get(r.groupId)?.name : undefined) ?? '',
      location: locations.get(info.locationId)?.name ?? '',
      wijk: info.wijk,
      status: r.status ?? '',
      held: info.held,
      present: info.held ? info.present : 0,
      newcomers: info.newcomers,
      minutes: info.held ? info.minutes : 0,
      hours: hoursOf(info),
      chosenTheme: r.chosenTheme ? (themeLabels.get(r.chosenTheme) ?? r.chosenTheme) : '',
    };
  });

  let evalCount = 0;
  let atmosphere = 0;
  let safety = 0;
  for (const e of input.evaluations) {
    if (e._d || !e.roundId || typeof e.atmosphere !== 'number' || typeof e.safety !== 'number') continue;
    const info = rounds.get(e.roundId);
    if (!info || !info.held || !info.inFilter) continue;
    evalCount++;
    atmosphere += e.atmosphere;
    safety += e.safety;
  }

  const stories: StoryRow[] = [];
  for (const s of input.stories) {
    if (s._d || s.consent !== true || !s.date || s.date < filter.from || s.date > filter.to) continue;
    const group = s.groupId ? groups.get(s.groupId) : undefined;
    const locationId = group?.locationId ?? '';
    const wijk = locations.get(locationId)?.wijk ?? '';
    if ((filter.groupId || filter.locationId || filter.wijk) && !matches(s.groupId, locationId, wijk)) continue;
    stories.push({
      id: s.id,
      date: s.date,
      pseudonym: s.pseudonym ?? '',
      age: s.age ?? null,
      quote: s.quote ?? '',
      themes: (s.themes ?? []).map((k) => themeLabels.get(k) ?? k),
      group: group?.name ?? '',
    });
  }
  stories.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const rows = (map: Map<string, Bucket>): BreakdownRow[] =>
    [...map]
      .map(([key, b]) => ({
        key,
        label: b.label,
        held: b.held,
        cancelled: b.cancelled,
        participants: b.people.size,
        attendance: b.attendance,
        averageAttendance: b.held ? b.attendance / b.held : 0,
        newcomers: b.newcomers,
        hours: b.hours,
      }))
      .sort((a, b) => b.held - a.held || a.label.localeCompare(b.label, 'nl'));

  const identity = new Map<string, string>();
  return {
    filter,
    roundsHeld,
    roundsCancelled,
    uniqueParticipants,
    totalAttendance,
    averageAttendance: roundsHeld ? totalAttendance / roundsHeld : 0,
    newcomers,
    newcomersPerRound: roundsHeld ? newcomers / roundsHeld : 0,
    hoursOfAttention,
    byStatus: [...status].map(([key, count]) => ({ key, label: key, count })).filter((c) => c.key !== 'onbekend' || c.count > 0),
    byFoundVia: sortCounts(foundVia, identity),
    themesChosen: sortCounts(chosen, themeLabels),
    themesRaised: sortCounts(raised, themeLabels),
    strategies: sortCounts(strategies, strategyLabels),
    evaluations: {
      count: evalCount,
      atmosphere: evalCount ? atmosphere / evalCount : null,
      safety: evalCount ? safety / evalCount : null,
    },
    months: [...months.values()].sort((a, b) => (a.month < b.month ? -1 : 1)),
    byWijk: rows(wijken),
    byLocation: rows(locs),
    byGroup: rows(grps),
    rounds: roundRows,
    stories,
  };
}

type Input = { [K in keyof ReportInput]: ReportInput[K] extends readonly (infer R)[] ? R[] : never };

const DAYS = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2024, 11, 20 + i * 13)).toISOString().slice(0, 10));

/** A small organisation with every awkward case the report meets: linked and unknown participants, deleted rows,
 * rounds without date, several rounds on one day and start time, names shared by two places, unknown categories.
 * `grouped` orders rows by id as the database returns them (rounds by group, attendance by round); otherwise the
 * rows come shuffled, so nothing may depend on their order. */
function organisation(seed: number, grouped: boolean): Input {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;
  const deleted = (p: number) => (chance(p) ? { _d: 'tombstone' } : {});
  const input: Input = { locations: [], groups: [], participants: [], rounds: [], attendance: [], evaluations: [], stories: [], categories: [] };

  for (let l = 0; l < 4; l++) input.locations.push({ id: `l${l}`, groupId: null, _h: {}, name: l < 2 ? 'Buurthuis' : `Huis ${l}`, wijk: pick(['Noord', 'Zuid', 'Oost']), ...deleted(0.1) });
  for (let g = 0; g < 5; g++) input.groups.push({ id: `g${g}`, groupId: `g${g}`, _h: {}, name: g < 2 ? 'Dinsdag' : `Groep ${g}`, locationId: `l${Math.floor(rand() * 5)}`, ...deleted(0.1) });
  const pids = Array.from({ length: 42 }, (_, i) => `p${i}`);
  for (let i = 0; i < 40; i++) {
    input.participants.push({
      id: pids[i],
      groupId: `g${i % 5}`,
      _h: {},
      name: pids[i],
      status: pick(PARTICIPANT_STATUS),
      foundVia: chance(0.9) ? pick(FOUND_VIA) : undefined,
      firstVisit: chance(0.3) ? pick(DAYS) : null,
      personId: chance(0.15) && i > 0 ? pick([pids[Math.floor(rand() * i)], 'person-x']) : null,
      ...deleted(0.05),
    });
  }
  // The same participant stored twice (two sync paths): the later record is the one that counts.
  if (chance(0.5)) input.participants.push({ ...input.participants[3], status: 'gestopt', firstVisit: DAYS[0] });

  const themes = [...DEFAULT_THEMES.slice(0, 5), 'eigen-thema'];
  const strategies = [...DEFAULT_STRATEGIES.slice(0, 3), 'eigen-strategie'];
  for (let n = 0; n < 120; n++) {
    const groupId = chance(0.05) ? null : `g${Math.floor(rand() * 6)}`;
    const date = pick(DAYS);
    const status = pick(ROUND_STATUS);
    const startedAt = status === 'gepland' || chance(0.2) ? null : Date.parse(`${date}T17:00:00Z`) + (chance(0.5) ? 0 : Math.floor(rand() * 4) * 1_800_000);
    const endedAt = startedAt != null && chance(0.7) ? startedAt + Math.floor(rand() * 500) * 60_000 : null;
    const r: StoredRecord<'rounds'> = {
      id: `r.${groupId ?? 'x'}.${date}.${n}`,
      groupId,
      _h: {},
      // A date that is not YYYY-MM-DD (no form writes one, but old data might hold it) makes a month key of its own.
      date: chance(0.9) ? date : chance(0.2) ? '2025-1' : undefined,
      locationId: chance(0.15) ? `l${Math.floor(rand() * 5)}` : null,
      status,
      startedAt,
      endedAt,
      plan: chance(0.8) ? DEFAULT_PLAN : { ...DEFAULT_PLAN, inloop: 0, verdieping: 45 },
      chosenTheme: chance(0.8) ? pick(themes) : null,
      themesRaised: chance(0.7) ? { [pick(themes)]: Math.floor(rand() * 3), [pick(themes)]: 1 } : undefined,
      strategies: chance(0.6) ? [pick(strategies), pick(strategies)] : undefined,
      ...deleted(0.05),
    };
    input.rounds.push(r);
    const count = Math.floor(rand() * 9);
    for (let i = 0; i < count; i++) {
      const pid = pick(pids);
      input.attendance.push({ id: `${r.id}|${pid}`, groupId, _h: {}, roundId: r.id, participantId: pid, present: chance(0.85), ...deleted(0.03) });
    }
    if (chance(0.6)) input.evaluations.push({ id: `${r.id}|eval`, groupId, _h: {}, roundId: r.id, atmosphere: 1 + Math.floor(rand() * 5), safety: chance(0.9) ? 1 + Math.floor(rand() * 5) : undefined, ...deleted(0.05) });
  }
  // Rows whose round or participant this device does not have (yet), and rows missing a reference.
  input.attendance.push(
    { id: 'a-unknown-round', groupId: null, _h: {}, roundId: 'r.elders', participantId: 'p1', present: true },
    { id: 'a-no-participant', groupId: null, _h: {}, roundId: input.rounds[0].id, participantId: undefined, present: true },
    { id: 'a-no-round', groupId: null, _h: {}, roundId: undefined, participantId: 'p2', present: true },
  );
  input.evaluations.push({ id: 'e-unknown', groupId: null, _h: {}, roundId: 'r.elders', atmosphere: 5, safety: 5 });
  for (let s = 0; s < 10; s++) {
    input.stories.push({
      id: `s${s}`,
      groupId: chance(0.9) ? `g${Math.floor(rand() * 6)}` : null,
      _h: {},
      pseudonym: `Naam ${s}`,
      age: chance(0.5) ? 30 + s : null,
      quote: 'Ik werd gehoord',
      themes: [pick(themes)],
      consent: chance(0.8) ? true : undefined,
      date: pick(DAYS),
      ...deleted(0.1),
    });
  }
  input.categories.push(
    { id: 'c1', groupId: null, _h: {}, kind: 'theme', key: themes[0], label: 'Geld' },
    // Two keys with one label: their order in the report may then only depend on how the rows were counted.
    { id: 'c2', groupId: null, _h: {}, kind: 'theme', key: themes[1], label: 'Geld' },
    { id: 'c3', groupId: null, _h: {}, kind: 'strategy', key: strategies[0], label: 'Praten' },
    { id: 'c4', groupId: null, _h: {}, kind: 'theme', key: themes[2], label: 'Weg', _d: 'tombstone' },
  );

  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const rows of Object.values(input) as { id: string }[][]) {
    if (grouped) rows.sort(byId);
    else
      for (let i = rows.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [rows[i], rows[j]] = [rows[j], rows[i]];
      }
  }
  return input;
}

const FILTERS: ReportFilter[] = [
  { from: '2025-01-01', to: '2025-12-31' },
  // Period boundaries on days that have rounds: both ends are inclusive.
  { from: DAYS[5], to: DAYS[20] },
  { from: DAYS[6], to: DAYS[6] },
  { from: '2024-01-01', to: '2026-12-31', wijk: 'Noord' },
  { from: '2024-01-01', to: '2026-12-31', locationId: 'l1' },
  { from: '2025-01-01', to: '2025-12-31', groupId: 'g2' },
  { from: '2025-01-01', to: '2025-12-31', wijk: 'Zuid', groupId: 'g3' },
  // Over a century: only months with rounds are listed.
  { from: '1900-01-01', to: '2100-12-31' },
];
const TODAYS = ['2025-03-01', DAYS[30], '2027-01-01'];

test('the report equals its pre-optimisation version on random organisations, in database order and shuffled', () => {
  let compared = 0;
  for (let seed = 1; seed <= 40; seed++) {
    for (const grouped of [true, false]) {
      const input = organisation(seed, grouped);
      for (const filter of FILTERS) {
        const options = { today: TODAYS[seed % TODAYS.length] };
        const expected = referenceReport(input, filter, options);
        assert.equal(computeReport(input, filter, options), expected, `seed ${seed}, ${grouped ? 'grouped' : 'shuffled'}, ${JSON.stringify(filter)}`);
        compared++;
      }
    }
  }
  assert.is(compared, 40 * 2 * FILTERS.length);
});

test('the report equals its pre-optimisation version on the benchmark organisation (ten years, 30 groups)', () => {
  const input = benchData();
  for (const filter of [BENCH_FILTER, { from: '2021-03-01', to: '2022-02-28', wijk: 'Wijk 2' }]) {
    assert.equal(computeReport(input, filter, { today: BENCH_TODAY }), referenceReport(input, filter, { today: BENCH_TODAY }));
  }
});

test('the random organisations reach the cases the comparison is for', () => {
  // A comparison over organisations without linked people or cancelled rounds would prove little.
  let linked = 0;
  let cancelled = 0;
  let newcomers = 0;
  let tiedRounds = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const rep = computeReport(organisation(seed, true), FILTERS[7], { today: '2027-01-01' });
    cancelled += rep.roundsCancelled;
    newcomers += rep.newcomers;
    for (let i = 1; i < rep.rounds.length; i++) if (rep.rounds[i].date === rep.rounds[i - 1].date) tiedRounds++;
    linked += organisation(seed, true).participants.filter((p) => p.personId).length;
  }
  assert.ok(linked > 40, `linked participants: ${linked}`);
  assert.ok(cancelled > 100, `cancelled rounds: ${cancelled}`);
  assert.ok(newcomers > 200, `newcomers: ${newcomers}`);
  assert.ok(tiedRounds > 100, `rounds sharing a day: ${tiedRounds}`);
});

test.run();
