// The annual-report figures of docs/design.md §5, computed from plain record arrays: shared by the coördinator screen and the server.
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

const BEFORE_EVERY_DATE = '0000-00-00';

/** A measured round longer than this was ended late (the next morning, say); the plan is the better guess then. */
export const MAX_MEASURED_MINUTES = 6 * 60;

/** Minutes a round lasted: the duration confirmed at its close when there is one; else (rounds closed before
 * that existed, or on an older app) endedAt − startedAt when both are stored and plausible, else the round's full
 * step plan including inloop and uitloop (the design's 2.5 h = 150 min), since people are present for all of it. */
export function roundMinutes(r: Pick<StoredRecord<'rounds'>, 'startedAt' | 'endedAt' | 'plan' | 'durationMin'>): number {
  if (typeof r.durationMin === 'number' && r.durationMin > 0) return r.durationMin;
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
  /** Its place in the rounds' map, so a search for the next round can start after it. */
  index: number;
  date: string;
  /** The date as YYYYMMDD, the start time and the id, kept here for ordering: sorting ten years of rounds, many
   * on the same day, compares them some 40,000 times. */
  day: number;
  start: number;
  id: string;
  held: boolean;
  inFilter: boolean;
  /** Only for held rounds: no other round's length is reported. */
  minutes: number;
  place: Place;
  /** YYYYMM, or -1 for a date of another form (see monthNumber). */
  month: number;
  present: number;
  newcomers: number;
  /** Its line in the report, made while the rounds are counted in the order they are stored, where the round's
   * record is at hand; made after sorting, every line would fetch its record from somewhere else in memory. */
  row: RoundRow | undefined;
}

/** One group at one location: every round there shares it, so its wijk, the filter on it and its buckets are
 * worked out once per place instead of once per round. */
interface Place {
  /** '' when the round has no group. */
  groupId: string;
  locationId: string;
  wijk: string;
  matches: boolean;
  /** The place's wijk, location and group buckets, in that order; made when a round there first counts, since
   * a bucket that exists is listed. Shared, so a person's next round there is recognised as already counted. */
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
  /** The days of `first` and `last` (±Infinity before there is one): most rows are placed by comparing these,
   * without reaching the round objects, which for a first round years back are no longer in the CPU cache. */
  firstDay: number;
  lastDay: number;
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

/** Orders rounds: by date, then start time, then id, so "first ever" and the listing are the same on every device. */
function before(a: RoundInfo, b: RoundInfo): boolean {
  if (a.day !== b.day) return a.day < b.day;
  if (a.start !== b.start) return a.start < b.start;
  return a.id < b.id;
}

/** "2026-01-08" (and its day number) → 202601: months are found by number, without slicing a key from each date.
 * -1 for a date of another form, whose digits could be another month's. */
function monthNumber(date: string, day: number): number {
  return date.length === 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45 && day >= 10_000_000 ? Math.floor(day / 100) : -1;
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

/** The state of one report while its passes run. Each pass is a method of its own rather than a stretch of one
 * long function: the JIT compiles small functions sooner and a deoptimisation costs one pass, not all (in Node the
 * ten-year report ran at full speed after ~8 computations instead of ~20), and the helpers are shared methods
 * instead of closures made anew for every report. */
class ReportRun {
  readonly locations = new Map<string, StoredRecord<'locations'>>();
  readonly groups = new Map<string, StoredRecord<'groups'>>();
  readonly participants = new Map<string, StoredRecord<'participants'>>();
  readonly themeLabels = new Map<string, string>();
  readonly strategyLabels = new Map<string, string>();
  /** A participant record belongs to one group; linked records share a personId and are one person. */
  readonly people = new Map<string, Person>();
  readonly personOfParticipant = new Map<string, Person>();
  readonly places = new Map<string, Place>();
  readonly rounds = new Map<string, RoundInfo>();
  roundList: RoundInfo[] = [];
  readonly months: Map<string, MonthRow>;
  readonly monthsByNumber = new Map<number, MonthRow>();
  readonly wijken = new Map<string, Bucket>();
  readonly locs = new Map<string, Bucket>();
  readonly grps = new Map<string, Bucket>();
  totalAttendance = 0;
  uniqueParticipants = 0;
  newcomers = 0;
  readonly status = counters(PARTICIPANT_STATUS);
  readonly foundVia = counters(FOUND_VIA);
  roundsHeld = 0;
  roundsCancelled = 0;
  hoursOfAttention = 0;
  readonly chosen = new Map<string, Counter>();
  readonly raised = new Map<string, Counter>();
  readonly strategies = new Map<string, Counter>();

  readonly filter: ReportFilter;
  readonly today: string;

  constructor(filter: ReportFilter, today: string) {
    this.filter = filter;
    this.today = today;
    this.months = new Map(monthsBetween(filter.from, filter.to).map((month) => [month, { month, ...emptyTally() }]));
  }

  /** Deleted rows are skipped where they are read: filtering into copies first allocated arrays only to drop them. */
  readRecords(input: ReportInput): void {
    for (const l of input.locations) if (!l._d) this.locations.set(l.id, l);
    for (const g of input.groups) if (!g._d) this.groups.set(g.id, g);
    for (const p of input.participants) if (!p._d) this.participants.set(p.id, p);
    for (const c of input.categories) {
      if (c._d || !c.key || !c.label) continue;
      if (c.kind === 'theme') this.themeLabels.set(c.key, c.label);
      else if (c.kind === 'strategy') this.strategyLabels.set(c.key, c.label);
    }
    for (const p of this.participants.values()) {
      const person = this.personByKey(p.personId ?? p.id);
      this.personOfParticipant.set(p.id, person);
      // A first visit on an unknown day before the app sorts before every date.
      const firstVisit = p.cameBefore === true ? BEFORE_EVERY_DATE : p.firstVisit;
      if (firstVisit && (!person.firstVisit || firstVisit < person.firstVisit)) person.firstVisit = firstVisit;
    }
  }

  personByKey(key: string): Person {
    let person = this.people.get(key);
    if (!person) {
      person = {
        firstVisit: undefined,
        first: undefined,
        firstParticipant: '',
        last: undefined,
        lastParticipant: '',
        firstDay: Infinity,
        lastDay: -Infinity,
        seenIn: undefined,
      };
      this.people.set(key, person);
    }
    return person;
  }

  matches(groupId: string | null | undefined, locationId: string, wijk: string): boolean {
    const f = this.filter;
    return (!f.groupId || groupId === f.groupId) && (!f.locationId || locationId === f.locationId) && (!f.wijk || wijk === f.wijk);
  }

  placeOf(groupId: string | null | undefined, roundLocationId: string | null | undefined): Place {
    const locationId = roundLocationId ?? (groupId ? this.groups.get(groupId)?.locationId : undefined) ?? '';
    const key = `${groupId ?? ''}\u0000${locationId}`;
    let place = this.places.get(key);
    if (!place) {
      const wijk = this.locations.get(locationId)?.wijk ?? '';
      place = { groupId: groupId ?? '', locationId, wijk, matches: this.matches(groupId, locationId, wijk), buckets: undefined };
      this.places.set(key, place);
    }
    return place;
  }

  readRounds(rows: ReportInput['rounds']): void {
    const { rounds, roundList, filter, today } = this;
    // Rounds are read grouped by group, so the previous round's place is nearly always this one's: comparing two
    // ids is cheaper than building a key string and looking it up for each of thousands of rounds.
    let place: Place | undefined;
    let placeGroupId: string | null | undefined;
    let placeLocationId: string | null | undefined;
    for (const r of rows) {
      if (r._d) continue;
      const date = r.date ?? (r.startedAt != null ? localDate(r.startedAt) : null);
      if (!date) continue;
      if (!place || r.groupId !== placeGroupId || r.locationId !== placeLocationId) {
        placeGroupId = r.groupId;
        placeLocationId = r.locationId;
        place = this.placeOf(placeGroupId, placeLocationId);
      }
      const held = isHeld(r, date, today);
      const day = dayNumber(date);
      const info: RoundInfo = {
        round: r,
        index: roundList.length,
        date,
        day,
        start: r.startedAt ?? 0,
        id: r.id,
        held,
        inFilter: place.matches && date >= filter.from && date <= filter.to,
        minutes: held ? roundMinutes(r) : 0,
        place,
        month: monthNumber(date, day),
        present: 0,
        newcomers: 0,
        row: undefined,
      };
      rounds.set(r.id, info);
      roundList.push(info);
    }
    if (roundList.length !== rounds.size) {
      // A second record with an earlier one's id replaced it in the map, in the earlier one's place: list the map.
      this.roundList = [...rounds.values()];
      this.roundList.forEach((info, i) => (info.index = i));
    }
  }

  /** Attendance and evaluations are mostly stored in their rounds' order (their ids begin with the round's id), so
   * the few rounds after the one found last are tried before the map: a hit costs one or two id comparisons. */
  findRound(id: string, after: RoundInfo | undefined): RoundInfo | undefined {
    const list = this.roundList;
    const from = after ? after.index + 1 : 0;
    const to = Math.min(from + 4, list.length);
    for (let i = from; i < to; i++) if (list[i].id === id) return list[i];
    return this.rounds.get(id);
  }

  bucket(map: Map<string, Bucket>, key: string, label: string): Bucket {
    let b = map.get(key);
    if (!b) map.set(key, (b = { label, people: new Set(), ...emptyTally() }));
    return b;
  }

  bucketsOf(place: Place): Bucket[] {
    return (place.buckets ??= [
      this.bucket(this.wijken, place.wijk, place.wijk),
      this.bucket(this.locs, place.locationId, this.locations.get(place.locationId)?.name ?? ''),
      this.bucket(this.grps, place.groupId, this.groups.get(place.groupId)?.name ?? ''),
    ]);
  }

  monthOf(info: RoundInfo): MonthRow {
    const n = info.month;
    let m = n >= 0 ? this.monthsByNumber.get(n) : undefined;
    if (m) return m;
    const key = info.date.slice(0, 7);
    m = this.months.get(key);
    if (!m) this.months.set(key, (m = { month: key, ...emptyTally() }));
    if (n >= 0) this.monthsByNumber.set(n, m);
    return m;
  }

  countAttendance(rows: ReportInput['attendance']): void {
    const { personOfParticipant } = this;
    let totalAttendance = 0;
    let uniqueParticipants = 0;
    // Attendance rows come grouped by round (their ids start with the round's), so the round is looked up once
    // per run of rows rather than once per row.
    let roundId: string | undefined;
    let info: RoundInfo | undefined;
    let found: RoundInfo | undefined;
    for (const a of rows) {
      if (a.present !== true || a._d || !a.roundId || !a.participantId) continue;
      if (a.roundId !== roundId) {
        roundId = a.roundId;
        info = this.findRound(roundId, found);
        if (info) found = info;
      }
      if (!info || !info.held) continue;
      const pid = a.participantId;
      // Attendance can arrive before its participant record syncs: count it under the participant id meanwhile.
      const person = personOfParticipant.get(pid) ?? this.personByKey(pid);
      const day = info.day;
      if (day < person.firstDay || (day === person.firstDay && (!person.first || before(info, person.first)))) {
        person.first = info;
        person.firstDay = day;
        person.firstParticipant = pid;
      }
      if (!info.inFilter) continue;
      info.present++;
      totalAttendance++;
      if (!person.last) uniqueParticipants++;
      if (day > person.lastDay || (day === person.lastDay && (!person.last || before(person.last, info)))) {
        person.last = info;
        person.lastDay = day;
        person.lastParticipant = pid;
      }
      const buckets = info.place.buckets ?? this.bucketsOf(info.place);
      if (person.seenIn !== buckets) {
        for (const b of buckets) b.people.add(person);
        person.seenIn = buckets;
      }
    }
    this.totalAttendance = totalAttendance;
    this.uniqueParticipants = uniqueParticipants;
  }

  countPeople(): void {
    const { participants } = this;
    for (const person of this.people.values()) {
      if (person.last) {
        bump(this.status, participants.get(person.lastParticipant)?.status ?? 'onbekend');
        // How someone found the organisation is what their first group recorded.
        bump(this.foundVia, participants.get(person.firstParticipant)?.foundVia ?? 'onbekend');
      }
      const info = person.first;
      if (!info || !info.inFilter) continue;
      // Someone who came before the app was in use has an earlier first visit on their record.
      if (person.firstVisit && person.firstVisit < info.date) continue;
      this.newcomers++;
      info.newcomers++;
      this.monthOf(info).newcomers++;
      for (const b of this.bucketsOf(info.place)) b.newcomers++;
    }
  }

  /** Tallies the held and cancelled rounds in the filter and returns them in date order. */
  countRounds(): RoundInfo[] {
    const listed: RoundInfo[] = [];
    for (const info of this.rounds.values()) {
      if (!info.inFilter) continue;
      const r = info.round;
      const cancelled = r.status === 'geannuleerd';
      if (!info.held && !cancelled) continue;
      listed.push(info);
      const month = this.monthOf(info);
      const buckets = this.bucketsOf(info.place);
      info.row = this.roundRow(info, buckets);
      const hours = hoursOf(info);
      if (cancelled) {
        this.roundsCancelled++;
        month.cancelled++;
        for (const b of buckets) b.cancelled++;
      } else {
        this.roundsHeld++;
        this.hoursOfAttention += hours;
        month.held++;
        month.attendance += info.present;
        month.hours += hours;
        for (const b of buckets) {
          b.held++;
          b.attendance += info.present;
          b.hours += hours;
        }
        if (r.chosenTheme) bump(this.chosen, r.chosenTheme);
        const themes = r.themesRaised;
        if (themes) for (const k in themes) if (themes[k] > 0) bump(this.raised, k, themes[k]);
        if (r.strategies) for (const s of r.strategies) bump(this.strategies, s);
      }
    }
    return listed.sort((a, b) => (before(a, b) ? -1 : 1));
  }

  /** The round's line; its place's buckets carry the names: [wijk, location, group]. */
  roundRow(info: RoundInfo, buckets: Bucket[]): RoundRow {
    const r = info.round;
    return {
      id: r.id,
      date: info.date,
      groupId: r.groupId,
      group: r.groupId ? buckets[2].label : '',
      location: buckets[1].label,
      wijk: info.place.wijk,
      status: r.status ?? '',
      held: info.held,
      present: info.held ? info.present : 0,
      newcomers: info.newcomers,
      minutes: info.held ? info.minutes : 0,
      hours: hoursOf(info),
      chosenTheme: r.chosenTheme ? (this.themeLabels.get(r.chosenTheme) ?? r.chosenTheme) : '',
    };
  }

  evaluations(rows: ReportInput['evaluations']): Report['evaluations'] {
    let count = 0;
    let atmosphere = 0;
    let safety = 0;
    let found: RoundInfo | undefined;
    for (const e of rows) {
      if (e._d || !e.roundId || typeof e.atmosphere !== 'number' || typeof e.safety !== 'number') continue;
      const info = this.findRound(e.roundId, found);
      if (!info) continue;
      found = info;
      if (!info.held || !info.inFilter) continue;
      count++;
      atmosphere += e.atmosphere;
      safety += e.safety;
    }
    return { count, atmosphere: count ? atmosphere / count : null, safety: count ? safety / count : null };
  }

  stories(rows: ReportInput['stories']): StoryRow[] {
    const { filter, groups, locations, themeLabels } = this;
    const stories: StoryRow[] = [];
    for (const s of rows) {
      if (s._d || s.consent !== true || !s.date || s.date < filter.from || s.date > filter.to) continue;
      const group = s.groupId ? groups.get(s.groupId) : undefined;
      const locationId = group?.locationId ?? '';
      const wijk = locations.get(locationId)?.wijk ?? '';
      if ((filter.groupId || filter.locationId || filter.wijk) && !this.matches(s.groupId, locationId, wijk)) continue;
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
    return stories.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }
}

function breakdown(map: Map<string, Bucket>): BreakdownRow[] {
  return [...map]
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
}

/** Computes every figure of docs/design.md §5 for the filter in a few linear passes over the records. */
export function computeReport(input: ReportInput, filter: ReportFilter, options: ReportOptions = {}): Report {
  const run = new ReportRun(filter, options.today ?? localDate());
  run.readRecords(input);
  run.readRounds(input.rounds);
  run.countAttendance(input.attendance);
  run.countPeople();
  const listed = run.countRounds();
  const roundRows = listed.map((info) => info.row!);
  const evaluations = run.evaluations(input.evaluations);
  const stories = run.stories(input.stories);
  const { roundsHeld, totalAttendance, newcomers } = run;
  const identity = new Map<string, string>();
  return {
    filter,
    roundsHeld,
    roundsCancelled: run.roundsCancelled,
    uniqueParticipants: run.uniqueParticipants,
    totalAttendance,
    averageAttendance: roundsHeld ? totalAttendance / roundsHeld : 0,
    newcomers,
    newcomersPerRound: roundsHeld ? newcomers / roundsHeld : 0,
    hoursOfAttention: run.hoursOfAttention,
    byStatus: [...run.status].map(([key, c]) => ({ key, label: key, count: c.n })).filter((c) => c.key !== 'onbekend' || c.count > 0),
    byFoundVia: sortCounts(run.foundVia, identity),
    themesChosen: sortCounts(run.chosen, run.themeLabels),
    themesRaised: sortCounts(run.raised, run.themeLabels),
    strategies: sortCounts(run.strategies, run.strategyLabels),
    evaluations,
    months: [...run.months.values()].sort((a, b) => (a.month < b.month ? -1 : 1)),
    byWijk: breakdown(run.wijken),
    byLocation: breakdown(run.locs),
    byGroup: breakdown(run.grps),
    rounds: roundRows,
    stories,
  };
}
