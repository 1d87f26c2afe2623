// AVG right of access: gathers everything the server holds about one participant (shape in shared/participant-export).
import type { Kysely } from 'kysely';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportedAttendance, type ExportedRecord, type Mention, type ParticipantExport } from '../shared/participant-export';
import type { DB, RecordsTable, Store } from './store';

/** Free-text fields per table that can name a person. */
const TEXT_FIELDS: Record<Mention['table'], readonly string[]> = {
  notes: ['text'],
  stories: ['pseudonym', 'quote'],
  rounds: ['mote', 'strategiesNote', 'closingWords'],
  evaluations: ['wentWell', 'improve', 'support'],
};

type Values = Record<string, unknown>;
type Hlcs = Record<string, string>;

function exported(r: RecordsTable): ExportedRecord {
  return { id: r.id, groupId: r.group_id, values: JSON.parse(r.data) as Values, hlcs: JSON.parse(r.hlcs) as Hlcs, version: Number(r.version) };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The name as a whole word, any case: "Ans" finds "ans zei" but not "Hans" or "kansen". One letter would match too much. */
export function nameMatcher(name: string): ((text: string) => boolean) | null {
  const n = name.trim();
  if (n.length < 2) return null;
  const escaped = n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu');
  return (text) => re.test(text);
}

async function live(db: Kysely<DB>, table: string, ids: string[]): Promise<Map<string, RecordsTable>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('records').selectAll().where('tbl', '=', table).where('id', 'in', ids).where('deleted', 'is', null).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The export, or undefined when the server holds no live record of this participant (unknown, deleted or erased). */
export async function exportParticipant(store: Store, participantId: string, now: number): Promise<ParticipantExport | undefined> {
  const db = store.db;
  const p = (await live(db, 'participants', [participantId])).get(participantId);
  if (!p) return undefined;
  const participant = exported(p);
  const groupId = p.group_id;

  const groupRows = groupId
    ? await db
        .selectFrom('records')
        .selectAll()
        .where('group_id', '=', groupId)
        .where('tbl', 'in', ['rounds', 'attendance', 'notes', 'stories', 'evaluations'])
        .where('deleted', 'is', null)
        .execute()
    : [];
  const rounds = new Map(groupRows.filter((r) => r.tbl === 'rounds').map((r) => [r.id, JSON.parse(r.data) as Values]));

  const group = groupId ? (await live(db, 'groups', [groupId])).get(groupId) : undefined;
  const groupValues = group ? (JSON.parse(group.data) as Values) : {};
  const locationIds = new Set<string>();
  if (typeof groupValues.locationId === 'string') locationIds.add(groupValues.locationId);
  for (const r of rounds.values()) if (typeof r.locationId === 'string') locationIds.add(r.locationId);
  const locations = new Map([...(await live(db, 'locations', [...locationIds])).values()].map((l) => [l.id, JSON.parse(l.data) as Values]));

  const attendance: ExportedAttendance[] = groupRows
    .filter((r) => r.tbl === 'attendance')
    .map(exported)
    .filter((a) => a.values.participantId === participantId || a.id.split('|')[1] === participantId)
    .map((a) => {
      const roundId = str(a.values.roundId) ?? a.id.split('|')[0];
      const round = rounds.get(roundId);
      const locationId = str(round?.locationId);
      return {
        ...a,
        round: round ? { id: roundId, date: str(round.date), status: str(round.status), locationId, locationName: str(locations.get(locationId ?? '')?.name) } : null,
      };
    })
    .sort((a, b) => (a.round?.date ?? '').localeCompare(b.round?.date ?? '') || a.id.localeCompare(b.id));

  const personId = str(participant.values.personId);
  const others = personId
    ? (await db.selectFrom('records').selectAll().where('tbl', '=', 'participants').where('deleted', 'is', null).execute()).filter(
        (r) => r.id !== participantId && (JSON.parse(r.data) as Values).personId === personId,
      )
    : [];
  const otherGroups = await live(db, 'groups', [...new Set(others.map((o) => o.group_id).filter((g): g is string => !!g))]);
  const linked = others.map((o) => ({
    id: o.id,
    groupId: o.group_id,
    groupName: str(JSON.parse(otherGroups.get(o.group_id ?? '')?.data ?? '{}').name),
    name: str((JSON.parse(o.data) as Values).name),
  }));

  const mentions: Mention[] = [];
  const names = nameMatcher(str(participant.values.name) ?? '');
  if (names) {
    for (const r of groupRows) {
      const fieldsOf = TEXT_FIELDS[r.tbl as Mention['table']];
      if (!fieldsOf) continue;
      const values = JSON.parse(r.data) as Values;
      const hlcs = JSON.parse(r.hlcs) as Hlcs;
      const fields: Record<string, string> = {};
      const fieldHlcs: Hlcs = {};
      for (const f of fieldsOf) {
        const text = str(values[f]);
        if (!text) continue;
        fields[f] = text;
        if (hlcs[f]) fieldHlcs[f] = hlcs[f];
      }
      if (!Object.values(fields).some(names)) continue;
      const roundDate = r.tbl === 'rounds' ? str(values.date) : str(rounds.get(str(values.roundId) ?? '')?.date);
      mentions.push({ table: r.tbl as Mention['table'], id: r.id, date: r.tbl === 'stories' ? str(values.date) : roundDate, fields, hlcs: fieldHlcs });
    }
    mentions.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.table.localeCompare(b.table) || a.id.localeCompare(b.id));
  }

  const locationId = str(groupValues.locationId);
  const location = locations.get(locationId ?? '');
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    participant,
    group: groupId ? { id: groupId, name: str(groupValues.name), locationId, locationName: str(location?.name), wijk: str(location?.wijk) } : null,
    attendance,
    linked,
    mentions,
  };
}
