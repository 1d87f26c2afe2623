// The report's records held in memory and kept up to date change by change, so a report costs its compute, not a
// fresh read of ten years of rows: shared by the coördinator's device (src/data) and the server's report endpoint.
import type { ReportInput } from './report';
import { REPORT_TABLES, type ReportTable } from './report-tables';

export { REPORT_TABLES, isReportTable, type ReportTable } from './report-tables';

/** The fields computeReport reads, per table. Nothing else is kept: no names, notes or evaluation texts sit in
 * this long-lived copy, and ten years of rows stay small. A report test compares against the full records. */
export const REPORT_FIELDS: Record<ReportTable, readonly string[]> = {
  locations: ['name', 'wijk'],
  groups: ['name', 'locationId'],
  participants: ['personId', 'firstVisit', 'cameBefore', 'status', 'foundVia'],
  rounds: ['date', 'locationId', 'startedAt', 'endedAt', 'durationMin', 'plan', 'status', 'chosenTheme', 'themesRaised', 'strategies'],
  attendance: ['roundId', 'participantId', 'present'],
  evaluations: ['roundId', 'atmosphere', 'safety'],
  stories: ['date', 'consent', 'pseudonym', 'age', 'quote', 'themes'],
  categories: ['kind', 'key', 'label'],
};

type Row = Record<string, unknown> & { id: string };

/** A live record as the report needs it: id, groupId and the table's report fields. */
export function reportRow(table: ReportTable, record: Record<string, unknown> & { id: string }): Row {
  const row: Row = { id: record.id, groupId: record.groupId ?? null, _h: {} };
  for (const f of REPORT_FIELDS[table]) if (record[f] !== undefined) row[f] = record[f];
  return row;
}

/** A table's rows in one array computeReport walks as it is, with each id's place in it: a changed row is replaced
 * where it stands and a removed one swapped with the last, so 100 changes never copy 78,000 rows. */
interface Kept {
  rows: Row[];
  at: Map<string, number>;
}

export class ReportRows {
  private readonly tables = new Map<ReportTable, Kept>(REPORT_TABLES.map((t) => [t, { rows: [], at: new Map() }]));
  /** The same input object until something changes, so a screen's memo keeps its report. */
  private last: ReportInput | null = null;

  /** A tombstone (`_d`) takes the record out: deletions are permanent, and the report skips them anyway. */
  put(table: ReportTable, record: Record<string, unknown> & { id: string }): void {
    if (record._d) return this.remove(table, record.id);
    const k = this.tables.get(table)!;
    const row = reportRow(table, record);
    const i = k.at.get(record.id);
    if (i === undefined) {
      k.at.set(record.id, k.rows.length);
      k.rows.push(row);
    } else k.rows[i] = row;
    this.last = null;
  }

  remove(table: ReportTable, id: string): void {
    const k = this.tables.get(table)!;
    const i = k.at.get(id);
    if (i === undefined) return;
    const moved = k.rows.pop()!;
    if (moved.id !== id) {
      k.rows[i] = moved;
      k.at.set(moved.id, i);
    }
    k.at.delete(id);
    this.last = null;
  }

  /** Forgets a whole table (or all), before it is read again in full. */
  clear(table?: ReportTable): void {
    for (const t of table ? [table] : REPORT_TABLES) this.tables.set(t, { rows: [], at: new Map() });
    this.last = null;
  }

  get size(): number {
    let n = 0;
    for (const k of this.tables.values()) n += k.rows.length;
    return n;
  }

  /** The arrays themselves, not copies: computeReport only reads them, and the next change edits them in place. */
  input(): ReportInput {
    if (this.last) return this.last;
    const out = {} as Record<ReportTable, Row[]>;
    for (const t of REPORT_TABLES) out[t] = this.tables.get(t)!.rows;
    return (this.last = out as unknown as ReportInput);
  }
}
