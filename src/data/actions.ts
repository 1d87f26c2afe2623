// Domain operations the screens call: each is one atomic local write (see write.ts).
import { DEFAULT_PLAN, type FoundVia, type RoundStep, type StepPlan, type TimerStep } from '../shared/method';
import { attendanceId, evaluationId, localDate, randomId, roundId } from '../shared/ids';
import { ValidationError } from '../shared/records';
import type { Fields, Group, Note, Round } from '../shared/schema';
import { schemas } from './schemas';
import { db } from './db';
import { deviceId, remove, write, writeAll, type WriteOp } from './write';

export async function createLocation(values: Fields<'locations'>): Promise<string> {
  const checked = (await schemas()).parseFields('locations', values);
  const id = `l${randomId()}`;
  await write('locations', id, null, checked);
  return id;
}

export async function createGroup(values: Omit<Fields<'groups'>, 'plan' | 'active' | 'begeleiders'> & Partial<Fields<'groups'>>): Promise<string> {
  const checked = (await schemas()).parseFields('groups', { plan: DEFAULT_PLAN, active: true, begeleiders: [], ...values });
  const id = `g${randomId()}`;
  // A group's own records carry its id as groupId, so its begeleiders can read it.
  await write('groups', id, id, checked);
  return id;
}

export async function updateGroup(group: Pick<Group, 'id'>, values: Partial<Fields<'groups'>>): Promise<void> {
  await write('groups', group.id, group.id, values);
}

export async function setPlan(group: Pick<Group, 'id'>, plan: StepPlan): Promise<void> {
  await write('groups', group.id, group.id, { plan });
}

export class RoundExistsError extends ValidationError {
  constructor(readonly existingId: string) {
    super('Er is vandaag al een ronde voor deze groep', [{ path: 'date', message: 'Er is vandaag al een ronde voor deze groep' }]);
  }
}

/** Opens the group's round for `date`: the planned or running one if there is one, else a new one.
 * Both phones derive the same id, so two offline starts become one round after sync.
 * `second: true` deliberately starts another round on the same day. */
export async function startRound(group: Group, opts: { date?: string; begeleider?: string; second?: boolean; now?: number } = {}): Promise<string> {
  const now = opts.now ?? Date.now();
  const date = opts.date ?? localDate(now);
  const d = db();
  let nth = 1;
  for (;;) {
    const id = roundId(group.id, date, nth);
    const existing = (await d.table('rounds').get(id)) as Round | undefined;
    if (!existing) break;
    // A removed (moved) planned round keeps its id as a tombstone that swallows every later write, and a cancelled
    // one can only come back by an explicit reopen: skip both.
    if (existing._d || existing.status === 'geannuleerd') {
      nth++;
      continue;
    }
    if (existing.status === 'gepland') {
      await write('rounds', id, group.id, { status: 'bezig', startedAt: now });
      return id;
    }
    if (existing.status === 'bezig' && !opts.second) return id;
    if (!opts.second) throw new RoundExistsError(id);
    nth++;
  }
  const id = roundId(group.id, date, nth);
  // Another phone may have started this same round offline and filled in its form already: only starting it
  // is a real write here; the empty fields are initial values that never beat anything that phone wrote.
  const values: Partial<Fields<'rounds'>> = {
    date,
    locationId: group.locationId,
    begeleiders: opts.begeleider ? [opts.begeleider] : [],
    endedAt: null,
    werkvorm: null,
    plan: group.plan ?? DEFAULT_PLAN,
    themesRaised: {},
    chosenTheme: null,
    mote: '',
    strategies: [],
    strategiesNote: '',
    closingWords: '',
  };
  await writeAll([
    { table: 'rounds', id, groupId: group.id, values, initial: true },
    { table: 'rounds', id, groupId: group.id, values: { status: 'bezig', startedAt: now } },
  ]);
  return id;
}

export async function updateRound(round: Pick<Round, 'id' | 'groupId'>, values: Partial<Fields<'rounds'>>): Promise<void> {
  await write('rounds', round.id, round.groupId, values);
}

/** `durationMin`: the length the begeleider confirmed, which the report counts (see proposeDuration). */
export async function endRound(round: Pick<Round, 'id' | 'groupId'>, now = Date.now(), durationMin?: number): Promise<void> {
  await write('rounds', round.id, round.groupId, durationMin === undefined ? { status: 'afgerond', endedAt: now } : { status: 'afgerond', endedAt: now, durationMin });
}

/** Those chosen came before the app was in use, on a day nobody knows: they are no newcomers. */
export async function markCameBefore(participants: readonly { id: string; groupId: string | null }[]): Promise<void> {
  await writeAll(participants.map((p) => ({ table: 'participants' as const, id: p.id, groupId: p.groupId, values: { cameBefore: true, firstVisit: null } })));
}

/** A begeleider undoes an accidental round: it stays, cancelled, with the reason shown wherever rounds are listed. */
export async function cancelRound(round: Pick<Round, 'id' | 'groupId'>, reason: string): Promise<void> {
  await write('rounds', round.id, round.groupId, { status: 'geannuleerd', cancelReason: reason });
}

/** The only way back from closed or cancelled: an explicit act with a reason, which the status merge counts from,
 * so it wins over every close before it while a later close still closes the round again. A round that never
 * started goes back to planned. */
export async function reopenRound(round: Pick<Round, 'id' | 'groupId' | 'startedAt'>, reason: string): Promise<void> {
  await write('rounds', round.id, round.groupId, { status: round.startedAt == null ? 'gepland' : 'bezig', reopenReason: reason });
}

export async function setPresent(round: Pick<Round, 'id' | 'groupId'>, participantId: string, present: boolean): Promise<void> {
  await write('attendance', attendanceId(round.id, participantId), round.groupId, { roundId: round.id, participantId, present });
}

/** Someone not yet on the list: only a first name or alias and how they found the group; marked present at once.
 * `cameBefore`: they came before the app was in use, on `firstVisit` when known. */
export async function addParticipant(
  round: Pick<Round, 'id' | 'groupId' | 'date'>,
  input: { name: string; foundVia: FoundVia; cameBefore?: boolean; firstVisit?: string | null },
): Promise<string> {
  if (!round.groupId) throw new Error('Ronde zonder groep');
  if (input.cameBefore && input.firstVisit && input.firstVisit >= round.date)
    throw new ValidationError('De eerste keer ligt vóór deze ronde', [{ path: 'firstVisit', message: 'De eerste keer ligt vóór deze ronde' }]);
  const values = (await schemas()).parseFields('participants', {
    name: input.name,
    foundVia: input.foundVia,
    ...(input.cameBefore ? (input.firstVisit ? { firstVisit: input.firstVisit } : { firstVisit: null, cameBefore: true }) : { firstVisit: round.date }),
    status: 'actief',
    gender: null,
    ageBand: null,
    consentDate: null,
    personId: null,
  });
  const id = `p${randomId()}`;
  const ops: WriteOp[] = [
    { table: 'participants', id, groupId: round.groupId, values },
    { table: 'attendance', id: attendanceId(round.id, id), groupId: round.groupId, values: { roundId: round.id, participantId: id, present: true } },
  ];
  await writeAll(ops);
  return id;
}

/** The coördinator's list for a group that existed before the app: everyone on it came before, on their first
 * visit when it is known. One transaction, so a list is stored whole or not at all. */
export async function addKnownParticipants(groupId: string, people: readonly { name: string; firstVisit: string | null }[], foundVia: FoundVia = 'onbekend'): Promise<string[]> {
  const { parseFields } = await schemas();
  const ops: WriteOp[] = people.map((person) => ({
    table: 'participants',
    id: `p${randomId()}`,
    groupId,
    values: parseFields('participants', {
      name: person.name,
      foundVia,
      ...(person.firstVisit ? { firstVisit: person.firstVisit } : { firstVisit: null, cameBefore: true }),
      status: 'actief',
      gender: null,
      ageBand: null,
      consentDate: null,
      personId: null,
    }),
  }));
  await writeAll(ops);
  return ops.map((o) => o.id);
}

export async function addNote(round: Pick<Round, 'id' | 'groupId'>, text: string, step: RoundStep | null, author = ''): Promise<string> {
  const user = (await db().meta.get('user'))?.value as { id?: string } | undefined;
  const values = (await schemas()).parseFields('notes', {
    roundId: round.id,
    step,
    text,
    author,
    createdAt: Date.now(),
    ...(user?.id ? { authorId: user.id } : {}),
  });
  const id = `n${randomId()}`;
  await write('notes', id, round.groupId, values);
  return id;
}

/** The author corrects their note: only its text changes, so its place and time stay. */
export async function editNote(note: Pick<Note, 'id' | 'groupId'>, text: string): Promise<void> {
  await write('notes', note.id, note.groupId, { text });
}

/** The author removes their note: a tombstone, so the removal reaches every phone and the server and is final. */
export async function deleteNote(note: Pick<Note, 'id' | 'groupId'>): Promise<void> {
  await remove('notes', note.id, note.groupId);
}

/** Step timing is append-only: a start or stop event row per tap, so both phones' events survive a merge. */
export async function recordStep(round: Pick<Round, 'id' | 'groupId'>, events: { step: TimerStep; kind: 'start' | 'stop'; at?: number }[]): Promise<void> {
  const device = await deviceId();
  const now = Date.now();
  await writeAll(
    events.map((e) => ({
      table: 'stepTimings' as const,
      id: `t${randomId()}`,
      groupId: round.groupId,
      values: { roundId: round.id, step: e.step, kind: e.kind, at: e.at ?? now, device },
    })),
  );
}

export async function saveEvaluation(round: Pick<Round, 'id' | 'groupId'>, values: Omit<Fields<'evaluations'>, 'roundId'>): Promise<void> {
  const checked = (await schemas()).parseFields('evaluations', { ...values, roundId: round.id });
  await write('evaluations', evaluationId(round.id), round.groupId, checked);
}
