// Read queries for the round flow (attendance, steps, notes, evaluation, summary) and its local resume point.
import { computeTimer, type TimerEvent } from '../shared/timer';
import { DEFAULT_PLAN, ROUND_STEPS, type TimerStep } from '../shared/method';
import { evaluationId } from '../shared/ids';
import { parseHlc } from '../shared/hlc';
import type { Attendance, Category, Evaluation, Group, Note, Participant, Round, StepTiming } from '../shared/schema';
import { db } from './db';

const alive = <T extends { _d?: string }>(rows: T[]) => rows.filter((r) => !r._d);

/** The round, or null when this phone does not have it (yet). */
export async function loadRound(roundId: string): Promise<Round | null> {
  const r = (await db().table('rounds').get(roundId)) as Round | undefined;
  return r && !r._d && typeof r.date === 'string' ? r : null;
}

export async function loadGroup(groupId: string | null): Promise<Group | null> {
  if (!groupId) return null;
  const g = (await db().table('groups').get(groupId)) as Group | undefined;
  return g && !g._d ? g : null;
}

export interface AttendanceRow {
  participant: Participant;
  present: boolean;
  /** Present now, never present in an earlier round of the group, and not known to have come before the app. */
  isNew: boolean;
  /** Date of the last round attended before this one; null if none. */
  lastVisit: string | null;
}

/** Orders rounds in time: by date, then id (a second round on a day gets a suffix, so it sorts after the first). */
const roundKey = (r: Pick<Round, 'date' | 'id'>) => `${r.date}|${r.id}`;

export interface AttendanceHistory {
  participants: Participant[];
  /** Per participant: order keys of the first and of the last earlier round they attended (any round but this one). */
  first: Map<string, string>;
  last: Map<string, string>;
  thisKey: string;
}

/** Everything the attendance list needs except this round's own ticks. It reads attendance by the ids of the
 * other rounds, so a tap in this round does not make it run again (a tap must be stored and shown within a frame). */
export async function attendanceHistory(round: Pick<Round, 'id' | 'groupId' | 'date'>): Promise<AttendanceHistory> {
  const thisKey = roundKey(round);
  const first = new Map<string, string>();
  const last = new Map<string, string>();
  if (!round.groupId) return { participants: [], first, last, thisKey };
  const d = db();
  const [participants, rounds] = await Promise.all([
    d.table('participants').where('groupId').equals(round.groupId).toArray() as Promise<Participant[]>,
    d.table('rounds').where('groupId').equals(round.groupId).toArray() as Promise<Round[]>,
  ]);
  const keys = new Map(alive(rounds).filter((r) => r.id !== round.id && r.status !== 'geannuleerd').map((r) => [r.id, roundKey(r)]));
  const attendance = keys.size ? ((await d.table('attendance').where('roundId').anyOf([...keys.keys()]).toArray()) as Attendance[]) : [];
  for (const a of alive(attendance)) {
    const k = keys.get(a.roundId);
    if (!a.present || !k) continue;
    if (k < thisKey && (last.get(a.participantId) ?? '') < k) last.set(a.participantId, k);
    const f = first.get(a.participantId);
    if (!f || k < f) first.set(a.participantId, k);
  }
  return { participants: alive(participants).filter((p) => typeof p.name === 'string'), first, last, thisKey };
}

/** Who is marked present in this round. */
export async function presentIn(roundId: string): Promise<Set<string>> {
  const rows = alive((await db().table('attendance').where('roundId').equals(roundId).toArray()) as Attendance[]);
  return new Set(rows.filter((a) => a.present).map((a) => a.participantId));
}

/** The attendance list: most recent visit before this round first, then by name. Sorting ignores this round's
 * own ticks so a row never jumps away from the finger that tapped it. A finished participant shows only if present. */
export function attendanceRows(history: AttendanceHistory, present: ReadonlySet<string>): AttendanceRow[] {
  const rows: AttendanceRow[] = [];
  for (const p of history.participants) {
    const isPresent = present.has(p.id);
    if (p.status === 'afgerond' && !isPresent) continue;
    const f = history.first.get(p.id);
    const l = history.last.get(p.id);
    const cameBefore = p.cameBefore === true || (!!p.firstVisit && p.firstVisit < history.thisKey.slice(0, 10));
    rows.push({ participant: p, present: isPresent, isNew: isPresent && !cameBefore && (!f || f > history.thisKey), lastVisit: l ? l.slice(0, 10) : null });
  }
  return rows.sort(
    (a, b) =>
      (a.lastVisit === b.lastVisit ? 0 : (b.lastVisit ?? '') < (a.lastVisit ?? '') ? -1 : 1) ||
      a.participant.name.localeCompare(b.participant.name, 'nl'),
  );
}

export async function attendanceList(round: Pick<Round, 'id' | 'groupId' | 'date'>): Promise<AttendanceRow[]> {
  const [history, present] = await Promise.all([attendanceHistory(round), presentIn(round.id)]);
  return attendanceRows(history, present);
}

export async function roundTimings(roundId: string): Promise<StepTiming[]> {
  return alive((await db().table('stepTimings').where('roundId').equals(roundId).toArray()) as StepTiming[]);
}

/** When the first timer step of the round started, on any phone; null before one did. */
export function firstTimerStart(timings: readonly StepTiming[]): number | null {
  let first: number | null = null;
  for (const t of timings) if (t.kind === 'start' && (first === null || t.at < first)) first = t.at;
  return first;
}

/** The step whose time runs now according to every phone's events, or null. */
export function runningStep(timings: readonly StepTiming[], now = Date.now()): TimerStep | null {
  const events: TimerEvent[] = timings.map((t) => ({ id: t.id, step: t.step, kind: t.kind, at: t.at }));
  return computeTimer(DEFAULT_PLAN, events, now).running;
}

/** The round's notes in the order they were written. */
export async function roundNotes(roundId: string): Promise<Note[]> {
  const rows = alive((await db().table('notes').where('roundId').equals(roundId).toArray()) as Note[]);
  return rows.filter((n) => typeof n.text === 'string').sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

/** Who is writing on this phone: its device id and, once someone logged in, their account id. */
export interface NoteWriter {
  device: string | null;
  userId: string | null;
}

export async function noteWriter(): Promise<NoteWriter> {
  const [device, user] = await Promise.all([db().meta.get('deviceId'), db().meta.get('user')]);
  return { device: (device?.value as string | undefined) ?? null, userId: (user?.value as { id?: string } | undefined)?.id ?? null };
}

/** A note is its author's to correct or remove: written by this account, or on this phone (the HLC of its creation
 * names the device, also for a note written before anyone logged in). */
export function isOwnNote(note: Note, me: NoteWriter): boolean {
  if (me.userId && note.authorId === me.userId) return true;
  const h = note._h.createdAt;
  return !!me.device && !!h && parseHlc(h).node === me.device;
}

export async function roundEvaluation(roundId: string): Promise<Evaluation | null> {
  const e = (await db().table('evaluations').get(evaluationId(roundId))) as Evaluation | undefined;
  return e && !e._d && typeof e.atmosphere === 'number' ? e : null;
}

/** The coördinator's categories of a kind, including inactive ones (they hide a default). */
export async function categoriesOf(kind: Category['kind']): Promise<Category[]> {
  return alive((await db().table('categories').where('kind').equals(kind).toArray()) as Category[]);
}

/** A default list with Dutch labels, adjusted by the coördinator's categories: renamed, hidden or added. */
export function mergeCategories(defaults: readonly { key: string; label: string }[], rows: readonly Category[]): { key: string; label: string }[] {
  const out = new Map(defaults.map((d) => [d.key, d.label]));
  for (const r of rows) {
    if (!r.active) out.delete(r.key);
    else out.set(r.key, r.label);
  }
  return [...out].map(([key, label]) => ({ key, label }));
}

export interface RoundSummary {
  present: number;
  newcomers: number;
  /** The duration confirmed at the close; before that (or from an older app) start to end; null while unknown. */
  durationMs: number | null;
  notes: number;
}

export async function roundSummary(round: Round): Promise<RoundSummary> {
  const [rows, notes, timings] = await Promise.all([attendanceList(round), roundNotes(round.id), roundTimings(round.id)]);
  const start = round.startedAt ?? (timings.length ? Math.min(...timings.map((t) => t.at)) : null);
  return {
    present: rows.filter((r) => r.present).length,
    newcomers: rows.filter((r) => r.isNew).length,
    durationMs: round.durationMin ? round.durationMin * 60_000 : start !== null && round.endedAt ? Math.max(0, round.endedAt - start) : null,
    notes: notes.length,
  };
}

/** Where the begeleider was in the flow: kept on this phone only, so a reload resumes there. */
export type FlowScreen =
  /** `from`: the step the begeleider left to tick off a latecomer, so the way back leads there. */
  | { kind: 'attendance'; from?: number }
  | { kind: 'step'; index: number }
  | { kind: 'evaluation' }
  | { kind: 'summary' };

const isStep = (i: unknown): i is number => Number.isInteger(i) && (i as number) >= 0 && (i as number) < ROUND_STEPS.length;

const screenKey = (roundId: string) => `ui:round:${roundId}`;

export async function loadScreen(roundId: string): Promise<FlowScreen | null> {
  const e = await db().meta.get(screenKey(roundId));
  const v = e?.value as FlowScreen | undefined;
  if (!v || typeof v !== 'object') return null;
  if (v.kind === 'step') return isStep(v.index) ? v : null;
  if (v.kind === 'attendance') return isStep(v.from) ? v : { kind: 'attendance' };
  return v.kind === 'evaluation' || v.kind === 'summary' ? v : null;
}

export async function saveScreen(roundId: string, screen: FlowScreen): Promise<void> {
  await db().meta.put({ key: screenKey(roundId), value: screen });
}
