// Read queries for the group screens and the timer: what Home, GroupPage and TimerView show, from the local database.
import type { Group, Location, Participant, Round, StepTiming } from '../shared/schema';
import { localDate, parseRoundId, roundId } from '../shared/ids';
import { DEFAULT_PLAN, type StepPlan } from '../shared/method';
import { db } from './db';

const alive = <T extends { _d?: string }>(rows: T[]) => rows.filter((r) => !r._d);

export interface GroupSummary {
  group: Group;
  location: Location | null;
  /** A round with status bezig (today's or one left open), the newest first. */
  running: Round | null;
  /** The earliest planned round from today on. */
  next: Round | null;
  /** The latest finished round (a running one has its own badge). */
  last: Round | null;
  /** The round the co-begeleider's timer opens today (see `timerRoundId`). */
  timerRoundId: string;
}

/** Today's round for the co-begeleider's timer: the running one, else today's first that is not cancelled, else the
 * id both phones derive for it — so the timer works offline on a phone that has not seen the round yet. */
export function timerRoundId(groupId: string, rounds: readonly Round[], today: string): string {
  const todays = rounds.filter((r) => r.date === today && r.status !== 'geannuleerd').sort((a, b) => (a.id < b.id ? -1 : 1));
  return (todays.find((r) => r.status === 'bezig') ?? todays[0])?.id ?? roundId(groupId, today);
}

export async function listLocations(): Promise<Location[]> {
  const rows = alive((await db().table('locations').toArray()) as Location[]);
  return rows.sort((a, b) => a.name.localeCompare(b.name, 'nl'));
}

/** Every group with its location and the rounds Home needs, active groups first, then by name. */
export async function listGroupSummaries(today = localDate()): Promise<GroupSummary[]> {
  const d = db();
  const groups = alive((await d.table('groups').toArray()) as Group[]).filter((g) => typeof g.name === 'string');
  const locations = new Map(alive((await d.table('locations').toArray()) as Location[]).map((l) => [l.id, l]));
  const out: GroupSummary[] = [];
  for (const group of groups) {
    const rounds = alive((await d.table('rounds').where('groupId').equals(group.id).toArray()) as Round[]);
    const byDateDesc = rounds.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? 1 : -1));
    out.push({
      group,
      location: locations.get(group.locationId) ?? null,
      running: byDateDesc.find((r) => r.status === 'bezig') ?? null,
      next: [...byDateDesc].reverse().find((r) => r.status === 'gepland' && r.date >= today) ?? null,
      last: byDateDesc.find((r) => r.status === 'afgerond' && r.date <= today) ?? null,
      timerRoundId: timerRoundId(group.id, rounds, today),
    });
  }
  return out.sort((a, b) => Number(b.group.active) - Number(a.group.active) || a.group.name.localeCompare(b.group.name, 'nl'));
}

export interface RoundRow {
  round: Round;
  present: number;
}

export interface ParticipantRow {
  participant: Participant;
  attended: number;
}

export interface GroupDetail {
  group: Group;
  location: Location | null;
  /** Rounds newest first, with how many were present. */
  rounds: RoundRow[];
  participants: ParticipantRow[];
  timerRoundId: string;
}

/** A group's page: its rounds with attendance counts and its participants with rounds attended; null if unknown. */
export async function groupDetail(groupId: string, today = localDate()): Promise<GroupDetail | null> {
  const d = db();
  const group = (await d.table('groups').get(groupId)) as Group | undefined;
  if (!group || group._d || typeof group.name !== 'string') return null;
  const location = group.locationId ? (((await d.table('locations').get(group.locationId)) as Location | undefined) ?? null) : null;
  const rounds = alive((await d.table('rounds').where('groupId').equals(groupId).toArray()) as Round[]);
  const attendance = alive(await d.table('attendance').where('groupId').equals(groupId).toArray()).filter((a) => a.present);
  const participants = alive((await d.table('participants').where('groupId').equals(groupId).toArray()) as Participant[]);

  const roundIds = new Set(rounds.map((r) => r.id));
  const perRound = new Map<string, number>();
  const perParticipant = new Map<string, number>();
  for (const a of attendance) {
    if (!a.roundId || !a.participantId || !roundIds.has(a.roundId)) continue;
    perRound.set(a.roundId, (perRound.get(a.roundId) ?? 0) + 1);
    perParticipant.set(a.participantId, (perParticipant.get(a.participantId) ?? 0) + 1);
  }
  return {
    group,
    location: location && !location._d ? location : null,
    rounds: rounds
      .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? 1 : -1))
      .map((round) => ({ round, present: perRound.get(round.id) ?? 0 })),
    participants: participants
      .filter((p) => typeof p.name === 'string')
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'))
      .map((participant) => ({ participant, attended: perParticipant.get(participant.id) ?? 0 })),
    timerRoundId: timerRoundId(groupId, rounds, today),
  };
}

export interface TimerData {
  id: string;
  groupId: string | null;
  /** Null while the round itself has not reached this phone: the timer then follows the group's plan. */
  round: Round | null;
  plan: StepPlan;
  timings: StepTiming[];
}

/** A round and all its step events, from every phone. A derived id of a group on this phone gives the timer even
 * without the round; null if neither is here, or the round was deleted. */
export async function roundTimer(id: string): Promise<TimerData | null> {
  const d = db();
  const stored = (await d.table('rounds').get(id)) as Round | undefined;
  if (stored?._d) return null;
  const round = stored && typeof stored.status === 'string' ? stored : null;
  let groupId = stored?.groupId ?? null;
  let plan = round?.plan;
  if (!round) {
    const group = (await d.table('groups').get(stored?.groupId ?? parseRoundId(id)?.groupId ?? '')) as Group | undefined;
    if (!group || group._d || typeof group.name !== 'string') return null;
    groupId = group.id;
    plan = group.plan;
  }
  const timings = alive((await d.table('stepTimings').where('roundId').equals(id).toArray()) as StepTiming[]);
  return { id, groupId, round, plan: plan ?? DEFAULT_PLAN, timings };
}

const vibratedKey = (roundId: string) => `timer.vibrated.${roundId}`;

/** The steps of a round whose overrun this phone already signalled, so a reload does not vibrate again. */
export async function vibratedSteps(roundId: string): Promise<string[]> {
  const e = await db().meta.get(vibratedKey(roundId));
  return Array.isArray(e?.value) ? (e.value as string[]) : [];
}

export async function rememberVibrated(roundId: string, steps: string[]): Promise<void> {
  await db().meta.put({ key: vibratedKey(roundId), value: steps });
}
