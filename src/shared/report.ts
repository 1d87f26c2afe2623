// The annual-report figures of DESIGN §5, computed from plain record arrays: shared by the coördinator screen and the server.
import { DEFAULT_PLAN, FOUND_VIA, PARTICIPANT_STATUS } from './method';
import { localDate } from './ids';
import type { StoredRecord } from './schema';

/** `from` and `to` are inclusive ISO dates; a round's own `date` (its day in the Netherlands) decides its period. */
export interface ReportFilter {
  from: string;
  to: string;
  wijk?: string | null;
  locationId?: string | null;
  groupId?: string | null;
}

export interface ReportInput {
  locations: readonly StoredRecord<'locations'>[];
  groups: readonly StoredRecord<'groups'>[];
  participants: readonly StoredRecord<'participants'>[];
  rounds: readonly StoredRecord<'rounds'>[];
  attendance: readonly StoredRecord<'attendance'>[];
  evaluations: readonly StoredRecord<'evaluations'>[];
  stories: readonly StoredRecord<'stories'>[];
  categories: readonly StoredRecord<'categories'>[];
}

export interface ReportOptions {
  /** Today in the Netherlands; a round still 'bezig' from an earlier day counts as held. Defaults to the real today. */
  today?: string;
}

export interface Count {
  key: string;
  label: string;
  count: number;
}

export interface Tally {
  held: number;
  cancelled: number;
  attendance: number;
  newcomers: number;
  hours: number;
}

export interface MonthRow extends Tally {
  /** YYYY-MM */
  month: string;
}

export interface BreakdownRow extends Tally {
  /** '' when the round has no (known) location or wijk. */
  key: string;
  label: string;
  participants: number;
  averageAttendance: number;
}

export interface RoundRow {
  id: string;
  date: string;
  groupId: string | null;
  group: string;
  location: string;
  wijk: string;
  status: string;
  held: boolean;
  present: number;
  newcomers: number;
  minutes: number;
  hours: number;
  chosenTheme: string;
}

export interface StoryRow {
  id: string;
  date: string;
  pseudonym: string;
  age: number | null;
  quote: string;
  themes: string[];
  group: string;
}

export interface Report {
  filter: ReportFilter;
  roundsHeld: number;
  roundsCancelled: number;
  uniqueParticipants: number;
  totalAttendance: number;
  averageAttendance: number;
  newcomers: number;
  newcomersPerRound: number;
  hoursOfAttention: number;
  byStatus: Count[];
  byFoundVia: Count[];
  themesChosen: Count[];
  themesRaised: Count[];
  strategies: Count[];
  evaluations: { count: number; atmosphere: number | null; safety: number | null };
  months: MonthRow[];
  byWijk: BreakdownRow[];
  byLocation: BreakdownRow[];
  byGroup: BreakdownRow[];
  rounds: RoundRow[];
  stories: StoryRow[];
}

/** A measured round longer than this was ended late (the next morning, say); the plan is the better guess then. */
export const MAX_MEASURED_MINUTES = 6 * 60;

/** Minutes a round lasted: endedAt − startedAt when both are stored and plausible, else the round's full step
 * plan including inloop and uitloop (DESIGN's 2.5 h = 150 min), since people are present for all of it. */
export function roundMinutes(r: Pick<StoredRecord<'rounds'>, 'startedAt' | 'endedAt' | 'plan'>): number {
  if (r.startedAt != null && r.endedAt != null) {
    const m = (r.endedAt - r.startedAt) / 60_000;
    if (m > 0 && m <= MAX_MEASURED_MINUTES) return m;
  }
  // All seven timer steps (TIMER_STEPS), spelled out: this runs for every round of a ten-year report.
  const p = r.plan ?? DEFAULT_PLAN;
  return (p.inloop ?? 0) + (p.opening ?? 0) + (p.verhaalkeuze ?? 0) + (p.verdieping ?? 0) + (p.verbreding ?? 0) + (p.afsluiting ?? 0) + (p.uitloop ?? 0);
}

/** Held = 'afgerond', or 'bezig' (started) on an earlier day than today: a round someone forgot to end still took
 * place. A round running today counts once it is ended; 'gepland' and 'geannuleerd' never count. */
export function isHeld(r: Pick<StoredRecord<'rounds'>, 'status' | 'startedAt'>, date: string, today: string): boolean {
  if (r.status === 'afgerond') return true;
  return r.status === 'bezig' && r.startedAt != null && date < today;
}

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

/** A count kept in a box, so raising it costs one map lookup instead of a get and a set: a ten-year report
 * raises theme and strategy counts some 30,000 times. */
interface Counter {
  n: number;
}

function counters(keys: readonly string[]): Map<string, Counter> {
  const map = new Map<string, Counter>();
  for (const key of keys) map.set(key, { n: 0 });
  return map;
}

function sortCounts(map: Map<string, Counter>, labels: Map<string, string>): Count[] {
  const out: Count[] = [];
  for (const [key, c] of map) out.push({ key, label: labels.get(key) ?? key, count: c.n });
  return out.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'nl'));
}

function bump(map: Map<string, Counter>, key: string, by = 1): void {
  const c = map.get(key);
  if (c) c.n += by;
  else map.set(key, { n: by });
}

/** Computes every figure of DESIGN §5 for the filter in a few linear passes over the records. */
export function computeReport(input: ReportInput, filter: ReportFilter, options: ReportOptions = {}): Report {
  const today = options.today ?? localDate();
  // Deleted rows are skipped where they are read: filtering into copies first allocated arrays only to drop them.
  const locations = new Map<string, StoredRecord<'locations'>>();
  for (const l of input.locations) if (!l._d) locations.set(l.id, l);
  const groups = new Map<string, StoredRecord<'groups'>>();
  for (const g of input.groups) if (!g._d) groups.set(g.id, g);
  const participants = new Map<string, StoredRecord<'participants'>>();
  for (const p of input.participants) if (!p._d) participants.set(p.id, p);
  const themeLabels = new Map<string, string>();
  const strategyLabels = new Map<string, string>();
  for (const c of input.categories) {
    if (c._d || !c.key || !c.label) continue;
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
  // Rounds are read grouped by group: its location and that location's wijk are looked up again only when the
  // group or location changes. The starting values are what a round without group or location gets.
  let groupId: string | null | undefined = null;
  let groupLocationId = '';
  let locationId = '';
  let wijk = locations.get('')?.wijk ?? '';
  for (const r of input.rounds) {
    if (r._d) continue;
    const date = r.date ?? (r.startedAt != null ? localDate(r.startedAt) : null);
    if (!date) continue;
    if (r.groupId !== groupId) {
      groupId = r.groupId;
      groupLocationId = (groupId ? groups.get(groupId)?.locationId : undefined) ?? '';
    }
    if ((r.locationId ?? groupLocationId) !== locationId) {
      locationId = r.locationId ?? groupLocationId;
      wijk = locations.get(locationId)?.wijk ?? '';
    }
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
  // Rounds are read grouped by group, so the previous round's triple is nearly always the one: comparing two ids
  // is cheaper than building a key string and looking it up for each of thousands of rounds.
  let lastGroupId = '';
  let lastLocationId = '';
  let lastTriple: Bucket[] | undefined;
  const bucketsOf = (info: RoundInfo) => {
    if (info.buckets) return info.buckets;
    const gid = info.round.groupId ?? '';
    if (lastTriple && gid === lastGroupId && info.locationId === lastLocationId) return (info.buckets = lastTriple);
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
    lastGroupId = gid;
    lastLocationId = info.locationId;
    lastTriple = triple;
    return (info.buckets = triple);
  };
  // The same holds for months: a group's next round is often in the same month, found without slicing a new key.
  let lastMonth: MonthRow | undefined;
  const monthOf = (info: RoundInfo) => {
    if (info.month) return info.month;
    if (lastMonth && info.date.startsWith(lastMonth.month)) return (info.month = lastMonth);
    const key = info.date.slice(0, 7);
    let m = months.get(key);
    if (!m) months.set(key, (m = { month: key, ...emptyTally() }));
    // A key shorter than YYYY-MM (a malformed date) would prefix other months' dates: never reuse that one.
    if (key.length === 7) lastMonth = m;
    return (info.month = m);
  };

  let totalAttendance = 0;
  let uniqueParticipants = 0;
  // Attendance rows come grouped by round (their ids start with the round's), so the round is looked up once per
  // run of rows rather than once per row.
  let roundId: string | undefined;
  let info: RoundInfo | undefined;
  for (const a of input.attendance) {
    if (a.present !== true || a._d || !a.roundId || !a.participantId) continue;
    if (a.roundId !== roundId) {
      roundId = a.roundId;
      info = rounds.get(roundId);
    }
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
    const buckets = info.buckets ?? bucketsOf(info);
    if (person.seenIn !== buckets) {
      for (const b of buckets) b.people.add(person);
      person.seenIn = buckets;
    }
  }

  let newcomers = 0;
  const status = counters(PARTICIPANT_STATUS);
  const foundVia = counters(FOUND_VIA);
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
  const chosen = new Map<string, Counter>();
  const raised = new Map<string, Counter>();
  const strategies = new Map<string, Counter>();
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
      // The round's buckets (set in the pass above) already carry the names: [wijk, location, group].
      group: r.groupId ? info.buckets![2].label : '',
      location: info.buckets![1].label,
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
    byStatus: [...status].map(([key, c]) => ({ key, label: key, count: c.n })).filter((c) => c.key !== 'onbekend' || c.count > 0),
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
