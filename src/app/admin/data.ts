// Reads and writes of the coördinator screens, all through the local write path so they work offline and sync.
import { DEFAULT_PLAN, DEFAULT_STRATEGIES, DEFAULT_THEMES, DEFAULT_WERKVORMEN } from '../../shared/method';
import { randomId, roundId } from '../../shared/ids';
import { parseFields, ValidationError, type Fields, type Group, type Participant, type Round, type StoredRecord } from '../../shared/schema';
import { db } from '../../data/db';
import { write, writeAll, type WriteOp } from '../../data/write';

export const alive = <T extends { _d?: string }>(rows: T[]) => rows.filter((r) => !r._d);

export type CategoryKind = Fields<'categories'>['kind'];
export const CATEGORY_KINDS: readonly CategoryKind[] = ['theme', 'strategy', 'werkvorm'];
export const DEFAULT_CATEGORIES: Record<CategoryKind, readonly string[]> = {
  theme: DEFAULT_THEMES,
  strategy: DEFAULT_STRATEGIES,
  werkvorm: DEFAULT_WERKVORMEN,
};

/** Derived, so two coördinators who rename the same default offline edit one record. */
export function categoryId(kind: CategoryKind, key: string): string {
  return `c.${kind}.${key}`;
}

/** A readable label → a key: lower case, no accents, words joined by '-' (the schema's category pattern). */
export function slug(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

export interface CategoryItem {
  key: string;
  /** The stored label, or null for a default nobody renamed (the screen shows its translated default name). */
  label: string | null;
  active: boolean;
  isDefault: boolean;
}

/** The defaults first in their own order, then the added ones by label; a stored record overrides its default. */
export function categoryItems(kind: CategoryKind, rows: readonly StoredRecord<'categories'>[]): CategoryItem[] {
  const stored = new Map(rows.filter((r) => !r._d && r.kind === kind && r.key).map((r) => [r.key as string, r]));
  const defaults = DEFAULT_CATEGORIES[kind].map((key) => {
    const r = stored.get(key);
    return { key, label: r?.label ?? null, active: r?.active ?? true, isDefault: true };
  });
  const added = [...stored.values()]
    .filter((r) => !DEFAULT_CATEGORIES[kind].includes(r.key as string))
    .map((r) => ({ key: r.key as string, label: r.label ?? r.key ?? '', active: r.active ?? true, isDefault: false }))
    .sort((a, b) => a.label.localeCompare(b.label, 'nl'));
  return [...defaults, ...added];
}

/** Writes a category's state. A default keeps no label of its own until renamed, so each locale shows its own name. */
export async function saveCategory(kind: CategoryKind, key: string, label: string | null, active: boolean): Promise<void> {
  await write('categories', categoryId(kind, key), null, label === null ? { kind, key, active } : { kind, key, label, active });
}

export async function addCategory(kind: CategoryKind, label: string, existing: readonly CategoryItem[]): Promise<string> {
  const key = slug(label);
  if (!key) throw new ValidationError('Naam mag niet leeg zijn', [{ path: 'label', message: 'Naam mag niet leeg zijn' }]);
  if (existing.some((c) => c.key === key)) {
    throw new ValidationError('Deze categorie bestaat al', [{ path: 'label', message: 'Deze categorie bestaat al' }]);
  }
  await saveCategory(kind, key, label, true);
  return key;
}

/** A round that has any attendance, notes, timings or evaluation: its date and id are then fixed. */
export async function roundHasData(id: string): Promise<boolean> {
  const d = db();
  const counts = await Promise.all([
    d.table('attendance').where('roundId').equals(id).count(),
    d.table('notes').where('roundId').equals(id).count(),
    d.table('stepTimings').where('roundId').equals(id).count(),
    d.table('evaluations').where('roundId').equals(id).count(),
  ]);
  return counts.some((n) => n > 0);
}

/** The id a new round on `date` gets: the first free one, so a begeleider's "start today's round" finds it. */
async function freeRoundId(groupId: string, date: string): Promise<{ id: string; taken: boolean }> {
  const t = db().table('rounds');
  for (let nth = 1; ; nth++) {
    const id = roundId(groupId, date, nth);
    const existing = await t.get(id);
    if (!existing) return { id, taken: false };
    // A live round that day already stands in the agenda; a tombstone (a moved round) only blocks its own id.
    if (!existing._d) return { id, taken: true };
  }
}

function plannedValues(group: Pick<Group, 'locationId' | 'plan'>, date: string): Fields<'rounds'> {
  return {
    date,
    locationId: group.locationId ?? null,
    begeleiders: [],
    status: 'gepland',
    startedAt: null,
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
}

/** Plans a round on each date that has none yet; returns the dates that were planned. */
export async function planRounds(group: Pick<Group, 'id' | 'locationId' | 'plan'>, dates: readonly string[]): Promise<string[]> {
  const ops: WriteOp[] = [];
  const planned: string[] = [];
  for (const date of dates) {
    const { id, taken } = await freeRoundId(group.id, date);
    if (taken) continue;
    ops.push({ table: 'rounds', id, groupId: group.id, values: plannedValues(group, date) });
    planned.push(date);
  }
  if (ops.length) await writeAll(ops);
  return planned;
}

export class RoundLockedError extends ValidationError {
  constructor(message: string) {
    super(message, [{ path: 'date', message }]);
  }
}

/** Moves a planned round: its id follows its date (so both phones open it), so the old record is removed and a new one
 * written in one transaction. Refused once the round started or has data, since that data points at the old id. */
export async function moveRound(round: Round, group: Pick<Group, 'id' | 'locationId' | 'plan'>, date: string): Promise<string> {
  parseFields('rounds', { ...plannedValues(group, date), date });
  if (round.status !== 'gepland') throw new RoundLockedError('Alleen een geplande ronde krijgt een andere datum');
  if (await roundHasData(round.id)) throw new RoundLockedError('Deze ronde heeft al gegevens; de datum blijft staan');
  if (date === round.date) return round.id;
  const { id, taken } = await freeRoundId(group.id, date);
  if (taken) throw new RoundLockedError('Op die datum staat al een ronde');
  const { id: _id, groupId: _g, _h, _d, ...values } = round;
  await writeAll([
    { table: 'rounds', id: round.id, groupId: round.groupId, deleted: true },
    { table: 'rounds', id, groupId: group.id, values: { ...(values as Fields<'rounds'>), date } },
  ]);
  return id;
}

/** A cancelled round stays, so the agenda and the report show it did not take place. */
export async function cancelRound(round: Pick<Round, 'id' | 'groupId' | 'status'>): Promise<void> {
  if (round.status !== 'gepland') throw new RoundLockedError('Alleen een geplande ronde kan worden geannuleerd');
  await write('rounds', round.id, round.groupId, { status: 'geannuleerd' });
}

/** Marks two participant records (of different groups) as the same person. Everyone already linked to either of them
 * joins the same person id, so one person never ends up counted twice through a chain of links. */
export async function linkParticipants(a: Participant, b: Participant, all: readonly Participant[]): Promise<string> {
  if (a.id === b.id) throw new ValidationError('Kies een andere deelnemer', [{ path: 'personId', message: 'Kies een andere deelnemer' }]);
  const personId = b.personId ?? a.personId ?? `h${randomId()}`;
  const merged = new Set([a.personId, b.personId].filter((x): x is string => !!x));
  const targets = new Map<string, Participant>([
    [a.id, a],
    [b.id, b],
  ]);
  for (const p of all) if (p.personId && merged.has(p.personId)) targets.set(p.id, p);
  await writeAll(
    [...targets.values()]
      .filter((p) => p.personId !== personId)
      .map((p) => ({ table: 'participants' as const, id: p.id, groupId: p.groupId, values: { personId } })),
  );
  return personId;
}

export async function unlinkParticipant(p: Pick<Participant, 'id' | 'groupId'>): Promise<void> {
  await write('participants', p.id, p.groupId, { personId: null });
}

export interface ParticipantStats {
  attended: number;
  firstVisit: string | null;
  lastVisit: string | null;
}

/** Per participant of a group: rounds attended (held or running ones only) and first and last visit. */
export async function participantStats(groupId: string): Promise<Map<string, ParticipantStats>> {
  const d = db();
  const [rounds, attendance] = await Promise.all([
    d.table('rounds').where('groupId').equals(groupId).toArray(),
    d.table('attendance').where('groupId').equals(groupId).toArray(),
  ]);
  const dates = new Map(
    alive(rounds)
      .filter((r) => r.status === 'afgerond' || r.status === 'bezig')
      .map((r) => [r.id, r.date as string]),
  );
  const out = new Map<string, ParticipantStats>();
  for (const a of alive(attendance)) {
    const date = a.roundId && dates.get(a.roundId);
    if (!a.present || !date || !a.participantId) continue;
    const s = out.get(a.participantId) ?? { attended: 0, firstVisit: null, lastVisit: null };
    s.attended++;
    if (!s.firstVisit || date < s.firstVisit) s.firstVisit = date;
    if (!s.lastVisit || date > s.lastVisit) s.lastVisit = date;
    out.set(a.participantId, s);
  }
  return out;
}
