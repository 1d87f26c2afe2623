// Retention on the phone: after a sync, notes and round free text older than the organisation's period are removed
// locally only (never tombstoned: the server keeps them), except what still waits in the outbox.
import type { Fields, StoredRecord } from '../shared/schema';
import { localDate } from '../shared/ids';
import type { LkDb } from './db';

export const SETTINGS_ID = 'org';
/** Used until a coördinator chooses: a year of notes is enough for the next rounds, and less lingers on a lost phone. */
export const DEFAULT_RETENTION_MONTHS = 12;

/** Free-text fields of round-bound records that are emptied together with the notes. */
const ROUND_TEXT = {
  rounds: ['mote', 'strategiesNote', 'closingWords'],
  evaluations: ['wentWell', 'improve', 'support'],
} as const;

export interface RetentionResult {
  months: number;
  /** The first date still kept (YYYY-MM-DD), or null when everything is kept. */
  keepFrom: string | null;
  notes: number;
  rounds: number;
  evaluations: number;
}

export async function retentionMonths(d: LkDb): Promise<number> {
  const s = (await d.table('settings').get(SETTINGS_ID)) as StoredRecord<'settings'> | undefined;
  const n = s && !s._d ? s.noteRetentionMonths : undefined;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : DEFAULT_RETENTION_MONTHS;
}

/** The date `months` calendar months before `now`'s Dutch date; the 31st becomes the month's last day. */
export function keepFromDate(now: number, months: number): string {
  const [y, m, day] = localDate(now).split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(day, last));
  return first.toISOString().slice(0, 10);
}

/** Removes what is older than the retention period from this phone. Runs after each successful sync. */
export async function applyRetention(d: LkDb, now: number): Promise<RetentionResult> {
  const notes = d.table('notes');
  const rounds = d.table('rounds');
  const evaluations = d.table('evaluations');
  return d.transaction('rw', [d.table('settings'), notes, rounds, evaluations, d.outbox, d.rejected], async () => {
    const months = await retentionMonths(d);
    const result: RetentionResult = { months, keepFrom: null, notes: 0, rounds: 0, evaluations: 0 };
    if (months === 0) return result;
    const keepFrom = keepFromDate(now, months);
    result.keepFrom = keepFrom;
    const cutoff = Date.parse(`${keepFrom}T00:00:00Z`);

    const waiting = new Set<string>();
    for (const k of [...(await d.outbox.orderBy('[table+id]').keys()), ...(await d.rejected.orderBy('[table+id]').keys())]) {
      const [table, id] = k as unknown as [string, string];
      waiting.add(`${table}/${id}`);
    }
    const settled = (table: string, id: string) => !waiting.has(`${table}/${id}`);

    const oldNotes = await notes
      .filter((n) => !n._d && typeof n.createdAt === 'number' && n.createdAt < cutoff && settled('notes', n.id))
      .primaryKeys();
    await notes.bulkDelete(oldNotes);
    result.notes = oldNotes.length;

    const oldRounds = (await rounds.where('date').below(keepFrom).toArray()).filter((r) => !r._d);
    const oldRoundIds = new Set(oldRounds.map((r) => r.id));
    // While the app is locked (sealed fields unreadable) the text fields are simply absent here, so nothing is rewritten.
    const emptied = <T extends keyof typeof ROUND_TEXT>(table: T, row: StoredRecord<T>): Partial<Fields<T>> | null => {
      if (!settled(table, row.id)) return null;
      const blank: Record<string, string> = {};
      for (const f of ROUND_TEXT[table]) if (typeof (row as Record<string, unknown>)[f] === 'string' && (row as Record<string, unknown>)[f] !== '') blank[f] = '';
      return Object.keys(blank).length ? (blank as Partial<Fields<T>>) : null;
    };
    for (const r of oldRounds) {
      const blank = emptied('rounds', r);
      if (!blank) continue;
      // The field HLCs stay: the server's text (same HLC) still wins a later merge, and a later edit here is a real write.
      await rounds.put({ ...r, ...blank });
      result.rounds++;
    }
    const oldEvaluations = (await evaluations.where('roundId').anyOf([...oldRoundIds]).toArray()).filter((e) => !e._d);
    for (const e of oldEvaluations) {
      const blank = emptied('evaluations', e);
      if (!blank) continue;
      await evaluations.put({ ...e, ...blank });
      result.evaluations++;
    }
    return result;
  });
}
